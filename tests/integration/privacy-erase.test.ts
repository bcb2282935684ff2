import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../core/app/app';
import { internals } from '../../core/app/internals';
import { PASS, TestClock, openTestApp } from '../helpers/app';
import { device, offeredCode, waitFor, type TestApp } from '../helpers/sync';
import { tempDir } from '../helpers/tmp';
import { decryptedPages } from '../helpers/vault-db';
import { filesUnder } from '../helpers/disk-scan';

const SYNC = { direct: { host: '127.0.0.1' }, helloMs: 300 };

/** Every ciphertext a device holds of one memory: its log entries and its read-model row. */
function ciphertextsOf(ctx: TestApp['app']['ctx'], memoryId: string): Buffer[] {
  const out: Buffer[] = [];
  for (const r of ctx.db.prepare('SELECT ciphertext FROM sync_log WHERE doc_id IN (?, ?)').all(memoryId, `${memoryId}.meta`) as { ciphertext: Buffer }[]) out.push(r.ciphertext);
  const row = ctx.db.prepare('SELECT meta_ct, ciphertext, state_ct FROM memories WHERE memory_id = ?').get(memoryId) as Record<string, Buffer> | undefined;
  if (row) out.push(row.meta_ct, row.ciphertext, row.state_ct);
  return out.filter((b) => b.length >= 24);
}
const fragmentsOf = (blobs: Buffer[]): Buffer[] => blobs.flatMap((b) => Array.from({ length: Math.floor(b.length / 24) }, (_, i) => b.subarray(i * 24, i * 24 + 24)));

describe('erasure reaches every device (GDPR Art. 17)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => { for (const f of cleanups.reverse()) await f(); });

  it('two paired devices; one goes offline; the other erases; the first reconnects: neither opens it, its neighbour is intact, no fragment is left on disk', async () => {
    const a = await device('Ana');
    cleanups.push(() => a.close());
    // B is a device whose process stops and starts again on the same data directory
    const bDir = tempDir('memoryos-erase-b-');
    cleanups.push(bDir.cleanup);
    let bApp: App = await openApp({ dataDir: bDir.dir, sync: SYNC });
    const bc = (m: string, p: unknown = {}) => bApp.call(m, p) as Promise<any>;
    await bc('vault.create', { passphrase: PASS, name: 'Ana' });
    const offer = await a.c('device.pairOffer');
    const acc = await bc('device.pairAccept', { invite: offer.invite });
    const bDevice = internals(bApp).ctx.keyring!.deviceId;
    expect(acc.code).toBe(await offeredCode(a, bDevice));
    await bc('device.confirm', { device_id: acc.device_id });
    await a.c('device.confirm', { device_id: bDevice });
    await waitFor('adoption', () => internals(bApp).ctx.keyring!.memberId === a.app.ctx.keyring!.memberId);

    const gone = (await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'AMBER', title: 'erase me', body: 'x'.repeat(3000), tags: ['private'] })).memory.memory_id;
    const kept = (await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'keep me', body: 'the neighbour' })).memory.memory_id;
    await waitFor('B to hold both', async () => (await bc('memory.list', { space_id: 'personal:me' })).memories.length === 2, 20_000);
    await bc('memory.update', { memory_id: gone, patch: { body: 'y'.repeat(3000) } }); // an edit of B's own: entries by both devices
    await waitFor('A to hold B\'s edit', async () => (await a.c('memory.get', { memory_id: gone })).memory.body.startsWith('y'), 20_000);
    const blobs = [...ciphertextsOf(a.app.ctx, gone), ...ciphertextsOf(internals(bApp).ctx, gone)];
    const fragments = fragmentsOf(blobs);
    expect(fragments.length).toBeGreaterThan(200);

    // B goes offline (its process stops); A erases
    await bApp.close();
    const r = await a.c('privacy.erase', { memory_ids: [gone], confirm: true });
    expect(r.erased).toEqual([gone]);
    await expect(a.c('memory.get', { memory_id: gone })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.c('memory.search', { query: 'private' })).hits).toEqual([]);

    // B comes back and reconnects: the tombstone reaches it
    bApp = await openApp({ dataDir: bDir.dir, sync: SYNC });
    cleanups.push(() => bApp.close());
    await bc('vault.unlock', { passphrase: PASS });
    await bc('sync.connect', { address: `127.0.0.1:${a.app.sync!.direct!.port}` });
    await waitFor('B to apply the erasure', async () => { try { await bc('memory.get', { memory_id: gone }); return false; } catch (e) { return (e as { code?: string }).code === 'NOT_FOUND'; } }, 20_000);
    expect((await bc('memory.get', { memory_id: kept })).memory.body).toBe('the neighbour');
    expect((await a.c('memory.get', { memory_id: kept })).memory.body).toBe('the neighbour');
    const tombstoned = (await bc('events.list', { topic: 'TOMBSTONE_PROPAGATE' })).events.map((e: any) => e.payload.memory_id);
    expect(tombstoned).toContain(gone);

    // no 24-byte fragment of any of its ciphertexts in any file of either data directory, WAL included
    await new Promise((r) => setTimeout(r, 500)); // let B's session settle after the batch it applied
    for (const dir of [a.dir, bDir.dir]) {
      for (const f of filesUnder(dir)) {
        const bytes = readFileSync(f);
        const found = fragments.filter((frag) => bytes.includes(frag)).length;
        expect(found, `${f} holds ${found} fragments of the erased memory`).toBe(0);
      }
    }
    // the files are encrypted at rest, so a raw scan proves little: read every page decrypted too,
    // free pages included, once each app has closed (its WAL checkpointed into the file and emptied)
    await a.app.close();
    await bApp.close();
    for (const dir of [a.dir, bDir.dir]) {
      const bytes = decryptedPages(dir, PASS);
      expect(bytes.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
      const found = fragments.filter((frag) => bytes.includes(frag)).length;
      expect(found, `the decrypted pages of ${dir} hold ${found} fragments of the erased memory`).toBe(0);
    }
  }, 120_000);

  it('privacy.erase wants confirm, and the passphrase again for RED and BLACK', async () => {
    const t = await openTestApp();
    cleanups.push(() => t.close());
    const red = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'RED', title: 'r', body: 'r' })).memory.memory_id;
    await expect(t.c('privacy.erase', { memory_ids: [red] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.c('privacy.erase', { memory_ids: [red], confirm: true })).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reasons: [{ code: 'REAUTH_REQUIRED' }] } });
    await expect(t.c('privacy.erase', { memory_ids: [red], confirm: true, reauth: { passphrase: 'not the passphrase at all' } })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect((await t.c('privacy.erase', { memory_ids: [red], confirm: true, reauth: { passphrase: PASS } })).erased).toEqual([red]);
  });
});

describe('retention', () => {
  it('a trashed memory older than the retention is erased by the scheduler; a working memory past its expiry goes to the trash', async () => {
    const clock = new TestClock();
    const t = await openTestApp({ clock });
    try {
      await t.c('settings.set', { settings: { trash_retention_days: 7, auto_lock_minutes: 0 } });
      const old = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'old', body: 'x' })).memory.memory_id;
      const working = (await t.c('memory.create', { space_id: 'personal:me', type: 'working', band: 'GREEN', title: 'scratch', body: 'y', expires_at: new Date(clock.now() + 3600_000).toISOString() })).memory.memory_id;
      await t.c('memory.delete', { memory_id: old });
      expect((await t.c('trash.list')).memories.map((m: any) => m.memory_id)).toEqual([old]);
      clock.advance(2 * 3600_000);
      t.app.tick();
      // the working memory went to the trash at its expiry; the old one is still within retention
      expect((await t.c('trash.list')).memories.map((m: any) => m.memory_id).sort()).toEqual([old, working].sort());
      clock.advance(7 * 24 * 3600_000 - 3600_000); // seven days after the first deletion, not yet after the second
      t.app.tick();
      // seven days after its deletion the old one is erased for good: gone from the trash and from the log
      expect((await t.c('trash.list')).memories.map((m: any) => m.memory_id)).toEqual([working]);
      await expect(t.c('memory.get', { memory_id: old })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const entries = t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM sync_log WHERE doc_id IN (?, ?) AND purged_sha256 IS NULL').get(old, `${old}.meta`) as { n: number };
      expect(entries.n).toBe(0);
      expect((await t.c('trash.list')).retention_days).toBe(7);
    } finally { await t.close(); }
  });
});
