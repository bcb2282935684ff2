import type { Page, WebSocketRoute } from '@playwright/test';
import type { HostProcess } from './host-process';
import { expectNoSeriousViolations } from './axe';
import { expect, NAME, newMemory, openUnlocked, PASSPHRASE, test } from './fixtures';
import { snap } from './screenshots';

/**
 * Issue 10, "The app a family would keep": one test per numbered broken behaviour the renderer
 * can fix with today's API (5 — search filters — needs the core: search-filters.e2e.ts), and 9 —
 * the recovery key after a reload — with the core's vault.confirmRecoveryKey / newRecoveryKey.
 * Each failed before this work and passes now.
 */

interface Listed { memory_id: string; title: string; body: string; band: string; tags: string[]; occurred_at: string | null; deleted_at: string | null }

async function listed(host: HostProcess, params: Record<string, unknown> = {}): Promise<Listed[]> {
  return (await host.call<{ memories: Listed[] }>('memory.list', params)).memories;
}
async function byTitle(host: HostProcess, title: string, params: Record<string, unknown> = {}): Promise<Listed> {
  const m = (await listed(host, params)).find((x) => x.title === title);
  if (!m) throw new Error(`no memory titled ${title}`);
  return m;
}
async function pendingCount(host: HostProcess): Promise<number> {
  return (await host.call<{ actions: unknown[] }>('undo.list', {})).actions.length;
}

async function open(page: Page, title: string): Promise<void> {
  await page.getByRole('option', { name: new RegExp(title) }).click();
  await expect(page.getByTestId('edit-title')).toHaveValue(title);
}
/** The body is shown rendered; "Edit text" turns it into the text field. */
async function editText(page: Page) {
  await page.getByRole('button', { name: 'Edit text' }).click();
  const body = page.getByTestId('edit-body');
  await expect(body).toBeVisible();
  return body;
}
async function createSpace(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: '+ New space' }).click();
  const d = page.getByTestId('new-space-dialog');
  await d.getByLabel('Name').fill(name);
  await d.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByTestId('spaces')).toContainText(name);
}
const nav = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen, exact: true }).click();

/**
 * The WebSocket between the page and its host, with two faults a test can turn on: saves
 * (memory.update) answered with an error, and the host unreachable (the socket drops and every
 * new one waits, as for a host that is gone, until `up()`).
 */
async function faults(page: Page) {
  let failSaves = false;
  let reachable: Promise<void> = Promise.resolve();
  let release: () => void = () => {};
  const live = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/api\/ws$/, async (ws) => {
    await reachable;
    const server = ws.connectToServer();
    live.add(ws);
    ws.onClose(() => { live.delete(ws); void server.close().catch(() => {}); });
    server.onClose(() => { live.delete(ws); void ws.close().catch(() => {}); });
    ws.onMessage((m) => {
      const text = String(m);
      if (failSaves && text.includes('"method":"memory.update"')) {
        const { id } = JSON.parse(text) as { id: number };
        ws.send(JSON.stringify({ id, error: { code: 'BUSY', message: 'the core worker stopped', details: null } }));
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  return {
    failSaves(on: boolean) { failSaves = on; },
    async down() {
      reachable = new Promise((r) => { release = r; });
      for (const ws of [...live]) await ws.close().catch(() => {});
    },
    up() { release(); },
  };
}

test('defect 1: leaving with an unsaved edit or an unconfirmed recovery key asks first; a failed save keeps the text and says so', async ({ page, host }) => {
  const f = await faults(page);
  const beforeUnload: string[] = [];
  page.on('dialog', (d) => { beforeUnload.push(d.type()); void d.dismiss(); });

  // the recovery key screen: closing the window before confirming the key asks first
  await page.goto(host.loginUrl);
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  const key = (await page.getByTestId('recovery-key').textContent())!.trim();
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => beforeUnload).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);
  await page.getByLabel('I have saved my recovery key somewhere safe.').check();
  await page.getByLabel('Type the last group of your key').fill(key.split('-').pop()!);
  await page.getByRole('button', { name: 'Continue to my vault' }).click();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();

  await newMemory(page, { title: 'First note', band: 'GREEN', body: 'one' });
  await newMemory(page, { title: 'Second note', band: 'GREEN', body: 'two' });

  // a save that fails keeps the text on screen and says so in people's words
  await open(page, 'First note');
  f.failSaves(true);
  await (await editText(page)).fill('kept although the save failed');
  await expect(page.getByTestId('save-state')).toHaveText(/Not saved/);
  await expect(page.getByTestId('editor-error')).toContainText('kept');
  await expect(page.getByTestId('editor-error')).not.toContainText('core worker');

  // leaving the memory does not drop it: coming back shows it again
  await open(page, 'Second note');
  await expect(page.getByTestId('notice')).toContainText('not saved');
  await open(page, 'First note');
  await expect(page.getByTestId('body-view')).toContainText('kept although the save failed');

  // closing the window with an unsaved edit asks first
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => beforeUnload).toEqual(['beforeunload', 'beforeunload']);
  expect(page.isClosed()).toBe(false);

  // saves work again: the kept text reaches the host, and leaving no longer asks
  f.failSaves(false);
  await expect.poll(async () => (await byTitle(host, 'First note')).body, { timeout: 40_000 }).toBe('kept although the save failed');
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(beforeUnload).toHaveLength(2);
});

test('defect 2: the trash — Undo in the toast, a Trash screen that restores, the retention period shown', async ({ page, host }) => {
  await openUnlocked(page, host);
  await newMemory(page, { title: 'Old recipe', band: 'GREEN', body: 'flour, eggs' });

  // Undo right in the toast
  await page.getByTestId('editor').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  const toast = page.getByTestId('notice');
  await expect(toast).toContainText('Moved to the trash.');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(toast).toContainText('Restored');
  await expect(page.getByRole('option', { name: /Old recipe/ })).toBeVisible();
  expect((await byTitle(host, 'Old recipe')).deleted_at).toBeNull();

  // the Trash screen lists it, says how long the trash keeps it, and restores it
  await open(page, 'Old recipe');
  await page.getByTestId('editor').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(toast).toContainText('Moved to the trash.');
  await nav(page, 'Trash');
  await expect(page.getByRole('heading', { name: 'Trash', level: 1 })).toBeVisible();
  await expect(page.getByTestId('trash-retention')).toContainText('30 days');
  const item = page.getByTestId('trash-item').filter({ hasText: 'Old recipe' });
  await expect(item).toBeVisible();
  await snap(page, '12-trash');
  // erasure comes with privacy.erase: no button that does nothing
  await expect(page.getByRole('button', { name: /erase/i })).toHaveCount(0);
  await item.getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByTestId('trash-item')).toHaveCount(0);
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await nav(page, 'Memories');
  await expect(page.getByRole('option', { name: /Old recipe/ })).toBeVisible();
  expect((await byTitle(host, 'Old recipe')).deleted_at).toBeNull();
});

test('defect 3: the open editor follows commits live — read-only once trashed, the new band once lowered, edits made elsewhere', async ({ page, host }) => {
  await openUnlocked(page, host);
  await host.call('settings.set', { settings: { undo_window_seconds: 3 } });

  // an AMBER deletion commits while the memory is open: the editor turns read-only
  await newMemory(page, { title: 'Passport numbers', band: 'AMBER', body: 'P1234567' });
  await page.getByTestId('editor').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('pending-banner')).toContainText('Deleting');
  await expect(page.getByTestId('trashed-notice')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('edit-title')).not.toBeEditable();
  await expect(page.getByRole('button', { name: 'Edit text' })).toHaveCount(0);
  await expect(page.getByTestId('save-state')).toHaveText('Read only');

  // a RED memory lowered to AMBER: once the lowering commits, the editor shows AMBER
  await newMemory(page, { title: 'Bank hint', band: 'RED', body: 'the blue notebook' });
  await expect(page.getByTestId('editor-band')).toHaveText('RED');
  // the radio shows the memory's band: it moves only when the lowering commits
  await page.getByTestId('editor').getByRole('radio', { name: /^AMBER/ }).click();
  await page.getByRole('dialog').getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('dialog').getByRole('button', { name: 'Lower to AMBER' }).click();
  await expect(page.getByTestId('pending-banner')).toContainText('Lowering to AMBER');
  await expect(page.getByTestId('editor-band')).toHaveText('AMBER', { timeout: 15_000 });
  await expect(page.getByTestId('pending-banner')).toHaveCount(0);
  await expect(page.getByRole('option', { name: /Bank hint/ })).toContainText('AMBER');

  // an edit made elsewhere (another device, the CLI) shows in the open editor
  const bank = await byTitle(host, 'Bank hint');
  await host.call('memory.update', { memory_id: bank.memory_id, patch: { body: 'the blue notebook, second shelf' } });
  await expect(page.getByTestId('body-view')).toContainText('second shelf');
});

test('defect 4: a second Delete is refused while one is pending; the pending state shows on the memory', async ({ page, host }) => {
  await openUnlocked(page, host);
  await createSpace(page, 'Family');
  await page.getByRole('button', { name: /^Personal/ }).click();
  await newMemory(page, { title: 'Alarm code hint', band: 'AMBER', body: 'the year we moved in' });

  const editor = page.getByTestId('editor');
  await editor.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  const deleting = page.getByTestId('pending-banner').filter({ hasText: 'Deleting' });
  await expect(deleting).toBeVisible();
  await expect(deleting).toContainText(/\d{1,2}:\d{2}/);
  await expect(editor.getByRole('button', { name: 'Delete', exact: true })).toBeDisabled();
  await expect(page.getByRole('option', { name: /Alarm code hint/ })).toContainText('Deleting');
  expect(await pendingCount(host)).toBe(1);

  // a share waiting in the window shows too, with where it goes
  await editor.getByRole('button', { name: 'Share…' }).click();
  await page.getByTestId('share-consent').check();
  await page.getByTestId('share-dialog').getByRole('button', { name: /Share \(/ }).click();
  await page.getByTestId('share-dialog').getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('pending-banner').filter({ hasText: 'Sharing into Family' })).toBeVisible();
  expect(await pendingCount(host)).toBe(2);
  await snap(page, '13-pending-banner');

  // Undo on the memory itself takes the deletion back; Delete works again
  await deleting.getByRole('button', { name: 'Undo' }).click();
  await expect(deleting).toHaveCount(0);
  await expect(editor.getByRole('button', { name: 'Delete', exact: true })).toBeEnabled();
  expect(await pendingCount(host)).toBe(1);
});

for (const timezoneId of ['America/Los_Angeles', 'Asia/Tokyo']) {
  test.describe(`in ${timezoneId}`, () => {
    test.use({ timezoneId, locale: 'en-US' });
    test(`defect 6: "When it happened" is a calendar date, the same in ${timezoneId} as anywhere`, async ({ page, host }) => {
      await openUnlocked(page, host);
      await page.getByRole('button', { name: '+ New memory' }).click();
      const d = page.getByTestId('new-memory-dialog');
      await d.getByLabel('Title', { exact: true }).fill('First day of school');
      await d.getByLabel('When it happened').fill('2024-09-03');
      await d.getByRole('button', { name: 'Create memory' }).click();
      await expect(d).toBeHidden();

      expect((await byTitle(host, 'First day of school')).occurred_at).toBe('2024-09-03T00:00:00.000Z');
      await expect(page.getByTestId('editor').getByLabel('When it happened')).toHaveValue('2024-09-03');
      const row = page.getByRole('option', { name: /First day of school/ });
      await expect(row).toContainText('Happened Sep 3, 2024');
      await expect(row).not.toContainText('Sep 2');
      await expect(row).toContainText('Updated');

      await page.getByTestId('editor').getByLabel('When it happened').fill('2024-12-31');
      await expect.poll(async () => (await byTitle(host, 'First day of school')).occurred_at).toBe('2024-12-31T00:00:00.000Z');
      await expect(row).toContainText('Happened Dec 31, 2024');
    });
  });
}

test('defect 7: the members dialog — no overlap, guest by default, none in a Personal space, roles and removals in place, live', async ({ page, host }) => {
  await openUnlocked(page, host);
  await createSpace(page, 'Family');

  // a Personal space is just you: nothing to add anyone with
  await page.getByRole('button', { name: /^Members of Personal/ }).click();
  const dialog = page.getByTestId('members-dialog');
  await expect(dialog).toContainText('just you');
  await expect(dialog.getByLabel('Person to add')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: /Add|Create profile/ })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: /^Members of Family/ }).click();
  await expect(dialog.getByLabel('Role for the new member')).toHaveValue('guest');
  const a = (await dialog.getByLabel('Person to add').boundingBox())!;
  const b = (await dialog.getByLabel('Role for the new member').boundingBox())!;
  const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  expect(overlap, `person ${JSON.stringify(a)} and role ${JSON.stringify(b)} overlap`).toBe(false);
  await expect(dialog).not.toContainText('recall');

  await dialog.getByLabel('New person’s name').fill('Leo');
  await dialog.getByRole('button', { name: 'Create profile' }).click();
  await expect(dialog.getByLabel('Person to add')).toHaveValue(/.+/);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  const leo = dialog.getByRole('row', { name: /Leo/ });
  await expect(leo.getByLabel('Role of Leo')).toHaveValue('guest');

  // the role changes in place
  await leo.getByLabel('Role of Leo').selectOption('child');
  const family = async () => (await host.call<{ space: { members: { name: string; role: string }[] } }>('space.get', { space_id: 'shared:family' })).space;
  await expect.poll(async () => (await family()).members.find((m) => m.name === 'Leo')?.role).toBe('child');

  // removal in place: it waits in the undo window, shown on the row, and can be undone there
  await leo.getByRole('button', { name: 'Remove Leo' }).click();
  await expect(leo).toContainText('Leaving');
  await snap(page, '14-members-dialog');
  await leo.getByRole('button', { name: 'Undo' }).click();
  await expect(leo).not.toContainText('Leaving');
  expect(await pendingCount(host)).toBe(0);

  // someone added elsewhere (the CLI, another guardian's device) appears while the dialog is open
  const { member } = await host.call<{ member: { member_id: string } }>('member.create', { name: 'Mia' });
  await host.call('space.addMember', { space_id: 'shared:family', member_id: member.member_id, role: 'teen' });
  await expect(dialog.getByRole('row', { name: /Mia/ }).getByLabel('Role of Mia')).toHaveValue('teen');
});

test('defect 8: every error in people’s words — a short wrong passphrase, an empty undo window', async ({ page, host }) => {
  await openUnlocked(page, host);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  const pass = page.getByRole('textbox', { name: 'Passphrase' });
  await pass.fill('abc');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(/^That passphrase is not right/);
  await pass.fill('not the passphrase at all');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(/^That passphrase is not right/);
  await expect(page.getByRole('alert')).not.toContainText('invalid params');
  await pass.fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();

  await nav(page, 'Settings');
  // the settings arrive from the host after unlock; what the person types is not overwritten by them
  await expect(page.getByLabel('Undo window (seconds)')).toHaveValue('900');
  await page.getByLabel('Undo window (seconds)').fill('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const msg = page.getByTestId('settings-message');
  await expect(msg).toContainText('Enter how many seconds');
  await expect(msg).not.toContainText('invalid params');
  await page.getByLabel('Undo window (seconds)').fill('900');
  await page.getByLabel(/Lock automatically after/).fill('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(msg).toContainText('Enter after how many idle minutes');
});

test('defect 9: reloading on the recovery key screen does not skip it: a new key is made after the passphrase, and the old one stops working', async ({ page, host }) => {
  await page.goto(host.loginUrl);
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  const lost = (await page.getByTestId('recovery-key').textContent())!.trim();
  await page.reload(); // the person leaves (the browser's "Leave site?" accepted)
  // not the vault: the key was never confirmed, so the app asks for a new one first
  await expect(page.getByTestId('recovery-key-lost')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'recovery key not saved');
  await snap(page, '24-recovery-key-lost');
  // the dark theme on this screen too (the app sets it on the root element)
  await page.evaluate(() => { document.documentElement.dataset.theme = 'dark'; });
  await expectNoSeriousViolations(page, 'recovery key not saved (dark)');
  await page.evaluate(() => { document.documentElement.dataset.theme = 'light'; });
  await page.getByLabel('Your passphrase').fill('not the passphrase at all');
  await page.getByRole('button', { name: 'Make a new recovery kit' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await page.getByLabel('Your passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Make a new recovery kit' }).click();
  const fresh = (await page.getByTestId('recovery-key').textContent())!.trim();
  expect(fresh).not.toBe(lost);
  // reloading again still does not skip it
  await page.reload();
  await expect(page.getByTestId('recovery-key-lost')).toBeVisible();
  await page.getByLabel('Your passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Make a new recovery kit' }).click();
  const kept = (await page.getByTestId('recovery-key').textContent())!.trim();
  await page.getByLabel('I have saved my recovery key somewhere safe.').check();
  await page.getByLabel('Type the last group of your key').fill(kept.split('-').pop()!);
  await page.getByRole('button', { name: 'Continue to my vault' }).click();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  expect((await host.call<{ recovery_key_confirmed: boolean }>('vault.status')).recovery_key_confirmed).toBe(true);
  // once confirmed, a reload lands in the vault; the keys shown before stop opening it
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  await host.call('vault.lock');
  for (const old of [lost, fresh]) await expect(host.call('vault.unlock', { recovery_key: old })).rejects.toThrow();
  await host.call('vault.unlock', { recovery_key: kept });
});

test('defect 10: the undo queue and the audit log speak in titles, spaces and names; ids under details; newest first; filterable', async ({ page, host }) => {
  await openUnlocked(page, host);
  await createSpace(page, 'Family');
  await page.getByRole('button', { name: /^Personal/ }).click();
  await newMemory(page, { title: 'Wifi at home', band: 'AMBER', body: 'maple-house', type: 'semantic' });
  await page.getByRole('button', { name: 'Share…' }).click();
  await page.getByTestId('share-consent').check();
  await page.getByTestId('share-dialog').getByRole('button', { name: /Share \(/ }).click();
  await page.getByTestId('share-dialog').getByRole('button', { name: 'Done' }).click();
  await newMemory(page, { title: 'Old locker code', band: 'AMBER', body: '4711' });
  await page.getByTestId('editor').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();

  await page.getByTestId('undo-badge').click();
  const panel = page.getByTestId('undo-panel');
  const items = panel.getByTestId('undo-item');
  await expect(items).toHaveCount(2);
  // newest first, in words
  await expect(items.nth(0).getByTestId('undo-summary')).toHaveText(/Deleting “Old locker code”/);
  await expect(items.nth(1).getByTestId('undo-summary')).toHaveText(/Sharing “Wifi at home” into Family/);
  await expect(items.nth(1)).toContainText(`by ${NAME}`);
  for (const id of ['shared:family', 'personal:', 'episodic', 'semantic']) await expect(items.nth(1).getByText(id)).toBeHidden();
  // ids are there, under details
  await items.nth(1).getByText('Details').click();
  await expect(items.nth(1).getByText(/shared:family/)).toBeVisible();
  // filterable by kind
  await panel.getByLabel('Kind', { exact: true }).selectOption('share');
  await expect(items).toHaveCount(1);
  await panel.getByLabel('Kind', { exact: true }).selectOption('');
  await panel.getByRole('button', { name: 'Close' }).click();

  // the audit log: sentences with titles and names, newest first, filterable, topics only under details
  await nav(page, 'Audit log');
  const table = page.getByTestId('audit-table');
  await expect(table.getByText(/shared “Wifi at home” into Family — waits/).first()).toBeVisible();
  await expect(table.getByText(`${NAME} opened “Wifi at home”`).first()).toBeVisible();
  await expect(page.getByText(/HIPPO_ENCODE|UNDO_WINDOW_OPENED|@1\.0/).first()).toBeHidden();
  const first = await table.getByTestId('audit-when').first().getAttribute('datetime');
  const last = await table.getByTestId('audit-when').last().getAttribute('datetime');
  expect(Date.parse(first!)).toBeGreaterThanOrEqual(Date.parse(last!));
  await page.getByLabel('Kind of event').selectOption('undo');
  await expect(table.getByTestId('audit-what').first()).toBeVisible();
  for (const t of await table.getByTestId('audit-what').allTextContents()) expect(t).toMatch(/waits|took back|went through|did not go through/);

  // devices and members in plain words: no key epochs, no capability names
  await nav(page, 'Devices & sync');
  await expect(page.getByTestId('members-shared:family')).toBeVisible();
  await expect(page.getByText(/keys epoch/)).toHaveCount(0);
  await nav(page, 'Memories');
  await page.getByRole('button', { name: /^Members of Family/ }).click();
  await expect(page.getByTestId('members-dialog')).not.toContainText(/recall|project|admin/);
  await expect(page.getByTestId('members-dialog')).toContainText('manages who is in');
});

test('defect 11: a dead host is shown, and decrypted content is hidden until the connection is back', async ({ page, host }) => {
  const f = await faults(page);
  await openUnlocked(page, host);
  await newMemory(page, { title: 'Spare key place', band: 'GREEN', body: 'under the blue pot' });
  await expect(page.getByTestId('body-view')).toContainText('under the blue pot');

  await f.down();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('content is hidden');
  await expect(page.getByText('under the blue pot').filter({ visible: true })).toHaveCount(0);
  await expect(page.getByText('Spare key place').filter({ visible: true })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'host gone');
  await snap(page, '20-connection-lost');

  f.up();
  await expect(banner).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId('body-view')).toContainText('under the blue pot');

  // the host process itself stops
  await host.stop();
  await expect(banner).toBeVisible();
  await expect(page.getByText('under the blue pot').filter({ visible: true })).toHaveCount(0);
});

test('defect 12: the smaller things — passphrase repeat, Clear filters, the share result, the list date, the key groups', async ({ page, host }) => {
  // the recovery key never wraps inside a group, even in a narrow window
  await page.setViewportSize({ width: 360, height: 700 });
  await page.goto(host.loginUrl);
  await page.getByLabel('Your name').fill(NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  const key = page.getByTestId('recovery-key');
  const text = (await key.textContent())!.trim();
  expect(text).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
  const groups = key.locator('.rk-group');
  await expect(groups).toHaveCount(text.split('-').length);
  for (const lines of await groups.evaluateAll((els) => els.map((e) => e.getClientRects().length))) expect(lines).toBe(1);
  await page.getByLabel('I have saved my recovery key somewhere safe.').check();
  await page.getByLabel('Type the last group of your key').fill(text.split('-').pop()!);
  await page.getByRole('button', { name: 'Continue to my vault' }).click();
  await page.setViewportSize({ width: 1024, height: 700 });

  // change passphrase asks for the new one twice
  await nav(page, 'Settings');
  await page.getByLabel('Current passphrase').fill(PASSPHRASE);
  await page.getByLabel('New passphrase', { exact: true }).fill('river candle mosaic thunder');
  await page.getByLabel('Repeat the new passphrase').fill('river candle mosaic thunde');
  await expect(page.getByRole('button', { name: 'Change passphrase' })).toBeDisabled();
  await expect(page.getByText('The two new passphrases differ.')).toBeVisible();
  await page.getByLabel('Repeat the new passphrase').fill('river candle mosaic thunder');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText('Passphrase changed.')).toBeVisible();
  await nav(page, 'Memories');

  // Clear filters keeps the panel open
  await createSpace(page, 'Family');
  await page.getByRole('button', { name: /^Personal/ }).click();
  await newMemory(page, { title: 'Wifi at home', band: 'AMBER', body: 'maple-house' });
  await page.getByText('Filters').click();
  await page.getByLabel('Filter by band').selectOption('AMBER');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByLabel('Filter by band')).toBeVisible();
  await expect(page.getByLabel('Filter by band')).toHaveValue('');

  // the list says which date it shows (the one it sorts by)
  await expect(page.getByRole('option', { name: /Wifi at home/ })).toContainText('Updated');

  // the share result in words, not obligations
  await page.getByRole('button', { name: 'Share…' }).click();
  await page.getByTestId('share-consent').check();
  const share = page.getByTestId('share-dialog');
  await expect(share).not.toContainText('UNDO_WINDOW');
  await share.getByRole('button', { name: /Share \(/ }).click();
  await expect(share.getByTestId('share-result')).toBeVisible();
  await expect(share).not.toContainText('UNDO_WINDOW');
  await expect(share).not.toContainText('AUDIT_ACCESS');
  await expect(share).toContainText('waits 15 minutes, can be undone');
  // (a shared copy cannot say where it came from: memory.share gives the copy no link to its
  // source, and Memory has no field for one — left for the core)
});
