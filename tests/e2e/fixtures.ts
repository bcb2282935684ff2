import { test as base, expect, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from './host-process';

export const PASSPHRASE = 'maple orbit lantern pebble';
export const NAME = 'Ann';

/** Each test gets its own host process and data directory, stopped and removed afterwards. */
export const test = base.extend<{ host: HostProcess }>({
  host: async ({}, use) => {
    const host = await startHostProcess();
    await use(host);
    await host.stop();
  },
});
export { expect };

/** Creates the vault through the UI and returns the recovery key it showed once. */
export async function createVaultViaUi(page: Page, host: HostProcess): Promise<string> {
  await page.goto(host.loginUrl);
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  const key = (await page.getByTestId('recovery-key').textContent())!.trim();
  await page.getByLabel('I have saved my recovery key somewhere safe.').check();
  await page.getByLabel('Type the last group of your key').fill(key.split('-').pop()!);
  await page.getByRole('button', { name: 'Continue to my vault' }).click();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  return key;
}

/** Vault created over the API (faster), then the page opened and unlocked. */
export async function openUnlocked(page: Page, host: HostProcess): Promise<void> {
  const { recovery_key } = await host.call<{ recovery_key: string }>('vault.create', { passphrase: PASSPHRASE, name: NAME });
  // the person of these tests kept their kit: the app would otherwise ask for a new key first
  await host.call('vault.confirmRecoveryKey', { recovery_key });
  await page.goto(host.loginUrl);
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
}

/** The open memory's text as a field: the editor shows it rendered until "Edit text". */
export async function editBody(page: Page) {
  await page.getByTestId('editor').getByRole('button', { name: 'Edit text' }).click();
  return page.getByTestId('edit-body');
}

export async function newMemory(page: Page, m: { title: string; band: string; body?: string; tags?: string; people?: string; space?: string; type?: string }): Promise<void> {
  await page.getByRole('button', { name: '+ New memory' }).click();
  const d = page.getByTestId('new-memory-dialog');
  await expect(d).toBeVisible();
  if (m.space) await d.getByLabel('Space', { exact: true }).selectOption({ label: m.space });
  if (m.type) await d.getByLabel('Type', { exact: true }).selectOption(m.type);
  await d.getByLabel('Title', { exact: true }).fill(m.title);
  await d.getByRole('radio', { name: new RegExp(`^${m.band}\\b`) }).check();
  if (m.body) await d.getByLabel('Text', { exact: true }).fill(m.body);
  if (m.tags) await d.getByLabel('Tags', { exact: true }).fill(m.tags);
  if (m.people) await d.getByLabel('People', { exact: true }).fill(m.people);
  await d.getByRole('button', { name: 'Create memory' }).click();
  await expect(d).toBeHidden();
  await expect(page.getByTestId('edit-title')).toHaveValue(m.title);
}
