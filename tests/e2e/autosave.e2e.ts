import type { Page } from '@playwright/test';
import type { HostProcess } from './host-process';
import { editBody, expect, newMemory, openUnlocked, PASSPHRASE, test } from './fixtures';

/** The body of the memory with this title, as the host holds it (not as the screen shows it). */
async function savedBody(host: HostProcess, title: string): Promise<string> {
  const { memories } = await host.call<{ memories: { memory_id: string; title: string; body: string }[] }>('memory.list', {});
  const m = memories.find((x) => x.title === title);
  if (!m) throw new Error(`no memory titled ${title}`);
  return m.body;
}

async function typeInto(page: Page, title: string, body: string): Promise<void> {
  await page.getByRole('option', { name: new RegExp(title) }).click();
  await expect(page.getByTestId('edit-title')).toHaveValue(title);
  await (await editBody(page)).fill(body);
}

/**
 * The editor autosaves after a 700 ms pause; leaving a memory sooner saves the edit at once
 * (the bug was: type, and within ~0.7 s click another memory, another screen or Lock — the edit was gone).
 */
test('an edit made just before switching memory, switching screen or locking is saved', async ({ page, host }) => {
  await openUnlocked(page, host);
  await newMemory(page, { title: 'First note', band: 'GREEN', body: 'one' });
  await newMemory(page, { title: 'Second note', band: 'GREEN', body: 'two' });

  // ---- another memory, at once ----
  await typeInto(page, 'First note', 'one, edited and left at once');
  await page.getByRole('option', { name: /Second note/ }).click();
  await expect(page.getByTestId('edit-title')).toHaveValue('Second note');
  await expect.poll(() => savedBody(host, 'First note')).toBe('one, edited and left at once');

  // ---- another screen, at once ----
  await typeInto(page, 'Second note', 'two, edited before opening Settings');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect.poll(() => savedBody(host, 'Second note')).toBe('two, edited before opening Settings');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories' }).click();

  // ---- Lock, at once: saved before the vault locks ----
  await typeInto(page, 'First note', 'one, edited just before Lock');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Unlock/ })).toBeVisible();
  await page.getByRole('textbox', { name: 'Passphrase' }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  expect(await savedBody(host, 'First note')).toBe('one, edited just before Lock');
  await page.getByRole('option', { name: /First note/ }).click();
  await expect(await editBody(page)).toHaveValue('one, edited just before Lock');
});
