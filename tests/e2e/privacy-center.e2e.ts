import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { expect, NAME, openUnlocked, PASSPHRASE, test } from './fixtures';
import { ROOT, startHostProcess, type HostProcess } from './host-process';
import { snap } from './screenshots';

/**
 * The Privacy center (issue 6): export with a progress bar and a result (size, location, the
 * read-back "verified" mark), encrypted export, BLACK with the passphrase again, erasure with a
 * typed confirmation that names this device and the peers, and the trash retention.
 */

const EXPORT_PASS = 'copper willow harbour seventeen';

interface Listed { memory_id: string; title: string }
interface JobRow { job_id: string; kind: string; status: string; result: Record<string, unknown> | null }

async function personalSpace(host: HostProcess): Promise<string> {
  const { spaces } = await host.call<{ spaces: { space_id: string; kind: string }[] }>('space.list', {});
  return spaces.find((s) => s.kind === 'personal')!.space_id;
}
async function importMemories(host: HostProcess, n: number, prefix: string): Promise<void> {
  const space_id = await personalSpace(host);
  const memories = Array.from({ length: n }, (_, i) => ({ type: 'semantic', band: 'GREEN', title: `${prefix} ${i}`, body: `Body ${i} of ${prefix}.` }));
  await host.call('memory.import', { space_id, memories });
}
async function listed(host: HostProcess): Promise<Listed[]> {
  return (await host.call<{ memories: Listed[] }>('memory.list', { limit: 1000 })).memories;
}
async function openPrivacy(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Privacy', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Privacy center', level: 1 })).toBeVisible();
}
function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try { const b = Buffer.alloc(n); readSync(fd, b, 0, n, 0); return b; } finally { closeSync(fd); }
}

/**
 * The page's WebSocket through the test: while `hold` is on, the export job's last
 * JOB_STATUS_CHANGED ("done") is kept back, so the test sees the screen while the job is in
 * flight (the progress bar) and may touch the file before the read-back starts.
 */
async function holdExportEnd(page: Page) {
  let hold = true;
  const held: { send(): void }[] = [];
  let seen: () => void = () => {};
  const sawEnd = new Promise<void>((r) => { seen = r; });
  await page.routeWebSocket(/\/api\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const text = String(m);
      if (hold && text.includes('JOB_STATUS_CHANGED') && text.includes('"kind":"export"') && text.includes('"status":"done"')) {
        held.push({ send: () => ws.send(m) });
        seen();
        return;
      }
      ws.send(m);
    });
  });
  return {
    /** the export job's end reached the page's socket (and is held) */
    sawEnd,
    release() { hold = false; for (const h of held.splice(0)) h.send(); },
  };
}

async function exportJobs(host: HostProcess, kind = 'export'): Promise<JobRow[]> {
  return (await host.call<{ jobs: JobRow[] }>('job.list', {})).jobs.filter((j) => j.kind === kind);
}

test('export: what is in it, a progress bar, then the file with its size, location and the verified mark; axe light and dark', async ({ page, host }) => {
  const gate = await holdExportEnd(page);
  await openUnlocked(page, host);
  await importMemories(host, 400, 'Garden note');
  await openPrivacy(page);
  const card = page.getByTestId('export-card');
  await expect(card.getByTestId('export-contents')).toContainText('each memory you wrote, as JSON and as Markdown');
  await expect(card.getByTestId('export-contents')).toContainText('signed by this device');
  // written in plaintext unless encrypted: said before anything is written
  await expect(card.getByTestId('export-protection')).toContainText('written to disk in plaintext');
  await expect(page.getByTestId('retention-words')).toContainText('more than 30 days are erased for good');
  await expectNoSeriousViolations(page, 'privacy center (light)');

  await card.getByRole('button', { name: 'Export in plaintext' }).click();
  const progress = card.getByTestId('export-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Writing the archive' })).toBeVisible();
  await gate.sawEnd;
  // the job is done in the core, but the screen has not heard: it still shows the bar, with the
  // progress the events reported
  await expect(progress).toContainText(/of \d+/);
  const value = Number(await progress.getByRole('progressbar').getAttribute('value'));
  expect(value).toBeGreaterThan(0);
  await expect(card.getByTestId('export-result')).toHaveCount(0);
  gate.release();

  const result = card.getByTestId('export-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('export-verified')).toContainText('Verified');
  await expect(result).toContainText('400 memories');
  await expect(result.getByTestId('export-encrypted')).toHaveText('Not encrypted: plaintext on disk');
  const path = await result.getByTestId('export-path').inputValue();
  const bytes = Number(await result.getByTestId('export-size').getAttribute('data-bytes'));
  // the location the job reported: in the data directory's exports/ folder, the file of that size
  expect(path.startsWith(join(host.dataDir, 'exports'))).toBe(true);
  expect(statSync(path).size).toBe(bytes);
  expect(bytes).toBeGreaterThan(10_000);
  await expect(result.getByTestId('export-size')).toContainText(`${bytes.toLocaleString('en-US')} bytes`);
  expect(head(path, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
  // "verified" is the answer of a verify job that read this very file back
  const verify = (await exportJobs(host, 'verify'))[0];
  expect(verify.status).toBe('done');
  expect(verify.result).toMatchObject({ valid: true });
  await expectNoSeriousViolations(page, 'privacy center with an export (light)');
  await snap(page, '21-privacy-center');

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await expectNoSeriousViolations(page, 'privacy center with an export (dark)');
  await card.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Erase everything I wrote…' }).click();
  await expect(page.getByTestId('erase-dialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'erase dialog (dark)');
});

test('a changed byte in the archive before the read-back: no verified mark', async ({ page, host }) => {
  const gate = await holdExportEnd(page);
  await openUnlocked(page, host);
  await importMemories(host, 20, 'Tampered');
  await openPrivacy(page);
  await page.getByRole('button', { name: 'Export in plaintext' }).click();
  await gate.sawEnd;
  const job = (await exportJobs(host))[0];
  const path = String(job.result!.path);
  const b = readFileSync(path);
  const at = b.indexOf('Tampered 3');
  expect(at).toBeGreaterThan(0);
  b[at] ^= 0x01;
  writeFileSync(path, b);
  gate.release();
  const result = page.getByTestId('export-result');
  await expect(result.getByTestId('export-not-verified')).toContainText('Not verified');
  await expect(result.getByTestId('export-verified')).toHaveCount(0);
});

test('encrypted export: the plaintext warning before writing, then an encrypted archive that verifies with its passphrase', async ({ page, host }) => {
  await openUnlocked(page, host);
  await importMemories(host, 5, 'Secret recipe');
  await openPrivacy(page);
  const card = page.getByTestId('export-card');
  await expect(card.getByTestId('export-protection')).toContainText('Not encrypted: the export is written to disk in plaintext');
  await card.getByLabel('Encrypt the archive with a passphrase').check();
  await expect(card.getByTestId('export-protection')).toContainText('Encrypted: the file is written encrypted');
  const go = card.getByRole('button', { name: 'Export, encrypted' });
  await expect(go).toBeDisabled();
  await card.getByLabel('Export passphrase', { exact: true }).fill(EXPORT_PASS);
  await card.getByLabel('Repeat the export passphrase').fill(EXPORT_PASS + 'x');
  await expect(card.getByText('The two passphrases differ.')).toBeVisible();
  await expect(go).toBeDisabled();
  await card.getByLabel('Repeat the export passphrase').fill(EXPORT_PASS);
  await expectNoSeriousViolations(page, 'privacy center, encrypted export form');
  await go.click();
  const result = card.getByTestId('export-result');
  await expect(result.getByTestId('export-verified')).toBeVisible();
  await expect(result.getByTestId('export-encrypted')).toHaveText('Encrypted with your export passphrase');
  const path = await result.getByTestId('export-path').inputValue();
  const file = readFileSync(path);
  expect(file.length).toBe(Number(await result.getByTestId('export-size').getAttribute('data-bytes')));
  expect(file.subarray(0, 8).equals(Buffer.from([0x89, 0x4d, 0x4f, 0x53, 0x58, 0x0d, 0x0a, 0x1a]))).toBe(true);
  expect(file.includes('Secret recipe')).toBe(false);
  expect(file.includes('manifest.json')).toBe(false);
  const verify = (await exportJobs(host, 'verify'))[0];
  expect(verify.result).toMatchObject({ valid: true, encrypted: true });
});

test('include BLACK asks for the passphrase again; a wrong one is refused, the right one exports the Black memory', async ({ page, host }) => {
  await openUnlocked(page, host);
  const space_id = await personalSpace(host);
  await host.call('memory.create', { space_id, type: 'semantic', band: 'GREEN', title: 'Shopping list' });
  await host.call('memory.create', { space_id, type: 'semantic', band: 'BLACK', title: 'Diary, locked' });
  await openPrivacy(page);
  const card = page.getByTestId('export-card');
  await expect(card.getByLabel('Your vault passphrase')).toHaveCount(0);
  await card.getByLabel('Include my Black memories written on this device').check();
  await expect(card.getByTestId('export-contents')).toContainText('your Black ones included');
  const pass = card.getByLabel('Your vault passphrase');
  await expect(pass).toBeVisible();
  const go = card.getByRole('button', { name: 'Export in plaintext' });
  await expect(go).toBeDisabled();
  await pass.fill('not the passphrase');
  await go.click();
  await expect(card.getByTestId('export-problem')).toHaveText('That passphrase is not right.');
  expect(await exportJobs(host)).toHaveLength(0);
  await pass.fill(PASSPHRASE);
  await go.click();
  const result = card.getByTestId('export-result');
  await expect(result.getByTestId('export-verified')).toBeVisible();
  await expect(result).toContainText('2 memories');
  const file = readFileSync(await result.getByTestId('export-path').inputValue());
  expect(file.includes('Diary, locked')).toBe(true);
});

/** `memoryos init`, then served unlocked, so sync runs (see devices-sync.e2e.ts). */
async function initAndServe(dirs: string[]): Promise<HostProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'memoryos-e2e-privacy-'));
  dirs.push(dataDir);
  const env = { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE, MEMORYOS_NAME: NAME };
  execFileSync(process.execPath, [join(ROOT, 'bin', 'memoryos.js'), '--data-dir', dataDir, 'init'], { env, stdio: 'ignore' });
  return startHostProcess({ dataDir, env: { MEMORYOS_SYNC_HOST: '127.0.0.1', MEMORYOS_SYNC_HELLO_MS: '300', MEMORYOS_PASSPHRASE: PASSPHRASE } });
}
async function until<T>(what: string, fn: () => Promise<T | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** B linked to A as a second device of the same person, through the API (offer, accept, confirm on both). */
async function link(a: HostProcess, b: HostProcess): Promise<{ aDevice: string; bDevice: string }> {
  const aDevice = (await a.call<{ device_id: string }>('vault.status')).device_id;
  const bDevice = (await b.call<{ device_id: string }>('vault.status')).device_id;
  const offer = await a.call<{ invite: string }>('device.pairOffer', {});
  await b.call('device.pairAccept', { invite: offer.invite });
  await until('A to see B connect', async () => ((await a.call<{ offers?: { device_id: string }[] }>('sync.status')).offers ?? []).some((o) => o.device_id === bDevice));
  await b.call('device.confirm', { device_id: aDevice });
  await until('A to confirm B', async () => (await a.call<{ status: string }>('device.confirm', { device_id: bDevice })).status === 'trusted');
  return { aDevice, bDevice };
}

test('erase everything I wrote: typed confirmation, this device and the peer by name, gone from memory.list here and there; the trash emptied; retention saved', async ({ page }) => {
  const dirs: string[] = [];
  const hosts: HostProcess[] = [];
  try {
    hosts.push(await initAndServe(dirs), await initAndServe(dirs));
    const [a, b] = hosts;
    const { aDevice, bDevice } = await link(a, b);
    await importMemories(a, 3, 'Written by Ann');
    const space_id = await personalSpace(a);
    await a.call('memory.create', { space_id, type: 'semantic', band: 'RED', title: 'Red letter', recipients: [] });
    await until('B to hold the memories', async () => (await listed(b)).length >= 4);

    await page.goto(a.loginUrl);
    await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
    await openPrivacy(page);
    const card = page.getByTestId('erase-card');
    // what it reaches, before anything is asked: this device, and the peer by whose it is and which
    await expect(card.getByTestId('erase-reach-here')).toContainText(`This device (${NAME}’s`);
    await expect(card.getByTestId('erase-reach-here')).toContainText(aDevice.slice(-6));
    const peer = card.getByTestId(`erase-reach-${bDevice}`);
    await expect(peer).toContainText(`${NAME}’s`);
    await expect(peer).toContainText(bDevice.slice(-6));
    await expect(peer).toContainText('connected: erased there now');

    await card.getByRole('button', { name: 'Erase everything I wrote…' }).click();
    const d = page.getByTestId('erase-dialog');
    await expect(d).toContainText('This cannot be undone.');
    await expect(d.getByTestId(`erase-reach-${bDevice}`)).toContainText(bDevice.slice(-6));
    const erase = d.getByRole('button', { name: 'Erase for good' });
    await expect(erase).toBeDisabled();
    await d.getByLabel('Your vault passphrase').fill(PASSPHRASE);
    await expect(erase).toBeDisabled();
    await d.getByLabel('Type ERASE to confirm').fill('erase');
    await expect(erase).toBeDisabled();
    await d.getByLabel('Type ERASE to confirm').fill('ERASE');
    await expect(erase).toBeEnabled();
    await expectNoSeriousViolations(page, 'erase dialog, confirmed');
    // nothing happened yet
    expect((await listed(a)).length).toBe(4);
    await erase.click();
    await expect(d).toBeHidden();
    await expect(card.getByTestId('erase-outcome')).toContainText('4 memories erased everywhere');
    expect(await listed(a)).toEqual([]);
    expect((await a.call<{ memories: unknown[] }>('memory.list', { trash: true })).memories).toEqual([]);
    // the peer did the same on receipt of the tombstones
    await until('B to erase them too', async () => (await listed(b)).length === 0, 30_000);

    // ---- the trash: a deleted memory, emptied for good from here ----
    const m = await a.call<{ memory: { memory_id: string } }>('memory.create', { space_id, type: 'semantic', band: 'GREEN', title: 'Old receipt' });
    await a.call('memory.delete', { memory_id: m.memory.memory_id });
    await until('the memory in the trash', async () => (await a.call<{ total: number }>('trash.list', {})).total === 1);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories', exact: true }).click();
    await openPrivacy(page);
    await expect(card.getByTestId('trash-count')).toHaveText('1 in the trash');
    await card.getByRole('button', { name: 'Empty the trash now…' }).click();
    await expect(d).toContainText('Every memory in the trash');
    await d.getByLabel('Your vault passphrase').fill(PASSPHRASE);
    await d.getByLabel('Type ERASE to confirm').fill('ERASE');
    await d.getByRole('button', { name: 'Erase for good' }).click();
    await expect(card.getByTestId('erase-outcome')).toContainText('Trash emptied: 1 memory erased everywhere');
    await expect(card.getByTestId('trash-count')).toHaveText('The trash is empty');
    expect((await a.call<{ total: number }>('trash.list', {})).total).toBe(0);

    // ---- retention: saved, and said in words ----
    const r = page.getByTestId('retention-card');
    await r.getByLabel('Keep deleted memories in the trash for (days)').fill('0');
    await r.getByRole('button', { name: 'Save retention' }).click();
    await expect(r.getByTestId('retention-message')).toContainText('a whole number from 1 to 3650');
    await r.getByLabel('Keep deleted memories in the trash for (days)').fill('7');
    await r.getByRole('button', { name: 'Save retention' }).click();
    await expect(r.getByTestId('retention-message')).toHaveText('Saved.');
    await expect(r.getByTestId('retention-words')).toContainText('Items in the trash for more than 7 days are erased for good');
    expect((await a.call<{ settings: { trash_retention_days: number } }>('settings.get', {})).settings.trash_retention_days).toBe(7);
    await page.reload();
    await openPrivacy(page);
    await expect(page.getByTestId('retention-words')).toContainText('more than 7 days');
  } finally {
    for (const h of hosts) await h.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});
