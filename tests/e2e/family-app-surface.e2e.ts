import { readFileSync } from 'node:fs';
import type { HostProcess } from './host-process';
import { expect, NAME, newMemory, openUnlocked, PASSPHRASE, test } from './fixtures';
import { snap } from './screenshots';

/**
 * Issue 10, "What to build": the writing surface (2), honest state (9) and the keyboard (10),
 * as far as the renderer can build them on today's API.
 */

async function byTitle(host: HostProcess, title: string) {
  const { memories } = await host.call<{ memories: { memory_id: string; title: string; body: string; tags: string[] }[] }>('memory.list', {});
  const m = memories.find((x) => x.title === title);
  if (!m) throw new Error(`no memory titled ${title}`);
  return m;
}

const HOSTILE = [
  '# Packing for the lake',
  '',
  'Bring **sun cream** and _two_ towels; the map is at [the park site](https://example.com/park).',
  '',
  '- [ ] passports',
  '- [x] train tickets',
  '',
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '',
  '> Grandma: "take a jumper"',
].join('\n');

test('writing surface: Markdown rendered and sanitised, checklists, chips with autocomplete, a compact band control', async ({ page, host }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await openUnlocked(page, host);
  await newMemory(page, { title: 'Lake weekend', band: 'GREEN', body: 'swim', tags: 'trip, summer', people: 'Grandma' });
  await newMemory(page, { title: 'Packing list', band: 'GREEN', body: HOSTILE });

  // rendered when not editing
  const view = page.getByTestId('body-view');
  await expect(view.getByRole('heading', { name: 'Packing for the lake' })).toBeVisible();
  await expect(view.locator('strong')).toHaveText('sun cream');
  await expect(view.getByRole('link', { name: 'the park site' })).toHaveAttribute('href', 'https://example.com/park');
  await expect(view.locator('blockquote')).toContainText('take a jumper');
  // no raw HTML from a memory reaches the DOM: it shows as text
  await expect(view.locator('img, script, [onerror]')).toHaveCount(0);
  await expect(view).toContainText('<img src=x onerror=alert(1)>');
  await expect(view).toContainText('<script>alert(2)</script>');
  expect(dialogs).toEqual([]);

  // checklists toggle, and the toggle is saved
  const passports = view.getByRole('checkbox', { name: 'passports' });
  await expect(passports).not.toBeChecked();
  await expect(view.getByRole('checkbox', { name: 'train tickets' })).toBeChecked();
  await passports.check();
  await expect.poll(async () => (await byTitle(host, 'Packing list')).body).toContain('- [x] passports');

  // a large title, a body that fills the pane
  const titleSize = await page.getByTestId('edit-title').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(titleSize).toBeGreaterThanOrEqual(22);
  await snap(page, '11-writing-surface');
  await page.getByRole('button', { name: 'Edit text' }).click();
  const body = page.getByTestId('edit-body');
  await expect(body).toBeFocused();
  const pane = (await page.getByTestId('editor').boundingBox())!;
  const box = (await body.boundingBox())!;
  expect(box.height).toBeGreaterThan(pane.height * 0.45);
  await page.keyboard.press('Escape');
  await expect(view).toBeVisible();

  // tags, people and places as chips, suggested from the memories already written
  const tags = page.getByTestId('editor').getByLabel('Tags', { exact: true });
  const suggestions = await tags.evaluate((input) => [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value));
  expect(suggestions).toEqual(expect.arrayContaining(['trip', 'summer']));
  await tags.fill('summer');
  await tags.press('Enter');
  await expect(page.getByTestId('editor').getByRole('button', { name: 'Remove tag summer' })).toBeVisible();
  await expect.poll(async () => (await byTitle(host, 'Packing list')).tags).toEqual(['summer']);
  await page.getByTestId('editor').getByRole('button', { name: 'Remove tag summer' }).click();
  await expect.poll(async () => (await byTitle(host, 'Packing list')).tags).toEqual([]);
  const people = page.getByTestId('editor').getByLabel('People', { exact: true });
  expect(await people.evaluate((input) => [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value))).toContain('Grandma');

  // the band is a compact control; its explanation comes on demand
  const editor = page.getByTestId('editor');
  await expect(editor.getByTestId('band-explanation')).toHaveCount(0);
  await editor.getByRole('button', { name: 'What do the bands mean?' }).click();
  await expect(editor.getByTestId('band-explanation')).toContainText('Green');
});

test('honest state: a recovery kit saved and checked, onboarding, what is encrypted, empty states that teach', async ({ page, host }) => {
  await page.goto(host.loginUrl);
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  const key = (await page.getByTestId('recovery-key').textContent())!.trim();

  // the kit: saved as a file (with the key in it), printable
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as a file' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/recovery/i);
  expect(readFileSync((await file.path())!, 'utf8')).toContain(key);
  await expect(page.getByRole('button', { name: 'Print the kit' })).toBeVisible();

  // the check that it was saved: the last group typed back
  await page.getByLabel('I have saved my recovery key somewhere safe.').check();
  const cont = page.getByRole('button', { name: 'Continue to my vault' });
  await expect(cont).toBeDisabled();
  await page.getByLabel('Type the last group of your key').fill('ZZZZ');
  await expect(page.getByText('That is not the last group of the key above.')).toBeVisible();
  await expect(cont).toBeDisabled();
  await page.getByLabel('Type the last group of your key').fill(key.split('-').pop()!.toLowerCase());
  await expect(cont).toBeEnabled();
  await snap(page, '15-recovery-kit');
  await cont.click();

  // onboarding: what spaces and bands are, on the first (empty) screen
  const welcome = page.getByTestId('welcome');
  await expect(welcome.getByRole('heading', { name: `Welcome, ${NAME}` })).toBeVisible();
  await expect(welcome).toContainText('space');
  await expect(welcome).toContainText('band');
  for (const band of ['GREEN', 'AMBER', 'RED', 'BLACK']) await expect(welcome).toContainText(band);
  await snap(page, '16-welcome');

  // what is encrypted, in the README's words
  await welcome.getByRole('button', { name: 'What is encrypted' }).click();
  await expect(page.getByRole('heading', { name: 'What is encrypted', level: 1 })).toBeVisible();
  const enc = page.getByTestId('encryption-page');
  await expect(enc).toContainText('Never in plaintext');
  await expect(enc).toContainText('a memory’s title, body, tags, people, places');
  await expect(enc).toContainText('Plaintext metadata');
  await expect(enc).toContainText('band, type, author');
  await snap(page, '17-what-is-encrypted');

  // empty states that teach
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Trash', exact: true }).click();
  await expect(page.getByTestId('trash-empty')).toContainText('restore');
  await page.getByTestId('undo-badge').click();
  await expect(page.getByTestId('undo-empty')).toContainText('Amber');
  await page.getByTestId('undo-panel').getByRole('button', { name: 'Close' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories', exact: true }).click();
  await newMemory(page, { title: 'Lake trip', band: 'GREEN', body: 'we swam' });
  await page.getByTestId('search').fill('zebra');
  await expect(page.getByTestId('list-empty')).toContainText('titles, text');
});

test('keyboard: shortcuts for new memory, search, delete and switching space, a command palette, a ? sheet', async ({ page, host }) => {
  await openUnlocked(page, host);
  await host.call('space.create', { kind: 'shared', name: 'Family' });
  await expect(page.getByTestId('spaces')).toContainText('Family');
  const kb = page.keyboard;
  const away = () => page.locator('body').click({ position: { x: 5, y: 690 } });

  // N: a new memory
  await away();
  await kb.press('n');
  await expect(page.getByTestId('new-memory-dialog')).toBeVisible();
  await kb.type('Lake trip');
  await kb.press('Enter');
  await expect(page.getByTestId('edit-title')).toHaveValue('Lake trip');

  // ?: the sheet of shortcuts
  await away();
  await kb.press('?');
  const sheet = page.getByTestId('shortcuts-sheet');
  await expect(sheet).toBeVisible();
  for (const k of ['Ctrl+K', 'N', '/', 'Delete', '[', ']', '?']) await expect(sheet.getByText(k, { exact: true }).first()).toBeVisible();
  await snap(page, '18-shortcuts');
  await kb.press('Escape');
  await expect(sheet).toBeHidden();

  // [ and ]: the previous and next space
  await away();
  await kb.press(']');
  await expect(page.getByRole('button', { name: /^Personal/ })).toHaveAttribute('aria-current', 'true');
  await kb.press(']');
  await expect(page.getByRole('button', { name: /^Family/ })).toHaveAttribute('aria-current', 'true');
  await kb.press('[');
  await expect(page.getByRole('button', { name: /^Personal/ })).toHaveAttribute('aria-current', 'true');

  // /: search
  await kb.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await kb.press('Escape');

  // Delete: deletes the open memory, after asking
  await page.getByRole('option', { name: /Lake trip/ }).click();
  await away();
  await kb.press('Delete');
  const confirm = page.getByRole('dialog', { name: 'Delete this memory?' });
  await expect(confirm).toBeVisible();
  await kb.press('Escape');
  await expect(confirm).toBeHidden();

  // Ctrl+K: the command palette, by keyboard only
  await kb.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('combobox')).toBeFocused();
  await kb.type('trash');
  await snap(page, '19-command-palette');
  await kb.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Trash', level: 1 })).toBeVisible();
  await kb.press('Control+k');
  await kb.type('family');
  await kb.press('ArrowDown');
  await kb.press('ArrowUp');
  await kb.press('Enter');
  await expect(page.getByRole('button', { name: /^Family/ })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('list-status')).toBeVisible();
  await kb.press('Control+k');
  await kb.type('new memory');
  await kb.press('Enter');
  await expect(page.getByTestId('new-memory-dialog')).toBeVisible();
  await kb.press('Escape');
});
