import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEntries, decryptEntry, verifyEntrySignature } from '../../core/store/sync-log';
import { openTestApp } from '../helpers/app';

describe('the sync log', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  beforeAll(async () => {
    await sodium.ready;
    t = await openTestApp();
    await t.c('space.create', { kind: 'shared', name: 'Family' });
    for (let i = 0; i < 5; i++) await t.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: i % 2 ? 'AMBER' : 'GREEN', title: `m${i}` });
    await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'BLACK', title: 'local only' });
    // a failed call must not leave a gap in seq
    await expect(t.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'RED', title: 'x', recipients: ['01M885PYZKBV4BK4H1HNXSBKSD'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await t.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'after a failure' });
  });
  afterAll(async () => { await t.close(); });

  it('counts seq per (space, author device) without gaps', () => {
    const bySpace = new Map<string, number[]>();
    for (const e of allEntries(t.app.ctx, 'sync_log')) bySpace.set(`${e.space_id}|${e.author_device}`, [...(bySpace.get(`${e.space_id}|${e.author_device}`) ?? []), e.seq]);
    for (const seqs of bySpace.values()) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('signs every entry with the device key and detects a flipped byte', () => {
    const pub = t.app.ctx.keyring!.deviceSign.publicKey;
    const entries = [...allEntries(t.app.ctx, 'sync_log')];
    expect(entries.length).toBeGreaterThan(10);
    for (const e of entries) expect(verifyEntrySignature(e, pub)).toBe(true);
    const e = entries[entries.length - 1];
    const flipped = { ...e, ciphertext: e.ciphertext.slice() };
    flipped.ciphertext[5] ^= 1;
    expect(verifyEntrySignature(flipped, pub)).toBe(false);
    expect(decryptEntry(flipped, t.app.ctx.keyring!.deks.get(e.doc_id)!)).toBeNull();
    expect(verifyEntrySignature({ ...e, seq: e.seq + 1 }, pub)).toBe(false);
  });

  it('keeps BLACK memories out of the sync log', () => {
    const black = t.app.ctx.db.prepare("SELECT memory_id FROM memories WHERE band = 'BLACK'").get() as { memory_id: string };
    const inSync = [...allEntries(t.app.ctx, 'sync_log')].filter((e) => e.doc_id.startsWith(black.memory_id));
    const local = [...allEntries(t.app.ctx, 'local_log')].filter((e) => e.doc_id.startsWith(black.memory_id));
    expect(inSync).toEqual([]);
    expect(local).toHaveLength(2);
  });

  it('binds each ciphertext to its record: swapped entries do not open', () => {
    const [a, b] = [...allEntries(t.app.ctx, 'sync_log')].filter((e) => e.key_id.startsWith('dek:'));
    const dekA = t.app.ctx.keyring!.deks.get(a.doc_id)!;
    expect(decryptEntry(a, dekA)).not.toBeNull();
    expect(decryptEntry({ ...b, nonce: a.nonce, ciphertext: a.ciphertext }, dekA)).toBeNull();
  });
});
