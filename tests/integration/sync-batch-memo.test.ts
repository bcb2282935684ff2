import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyBand } from '../../core/memories/band';
import { heldMetaOf } from '../../core/memories/materialise';
import { loadRecord } from '../../core/memories/memories';
import { readContent, readMeta } from '../../core/memories/memory-doc';
import { unwrapDek, type DekWrap } from '../../core/memories/memory-keys';
import { openContentDoc } from '../../core/memories/read-model';
import { roleOf } from '../../core/spaces/spaces';
import { sign } from '../../core/crypto/sodium';
import { decryptEntry, docEntries, entriesAfter, entrySigningBytes, entryToJson, type EntryJson } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { device, vectorOf, waitFor, type TestApp } from '../helpers/sync';

/**
 * One received batch is checked with per-batch lookups (core/sync/batch-memo.ts: the author's
 * device row and role, a memory's held metadata). These hold when the batch itself changes what
 * they remember: the entries after the change are checked against the new state. The batch is
 * built by hand from real devices' logs (sessions paused, so nothing arrives on its own) and
 * given to receiveEntries in one call, as one `entries` frame would be.
 */
const SPACE = 'shared:family';

/** A device's entries of the space that `to` does not hold yet, in its log order. */
const lacking = (from: TestApp, to: TestApp): EntryJson[] => {
  const held = vectorOf(to, SPACE);
  return entriesAfter(from.app.ctx, SPACE, 0, 100_000).filter((e) => e.seq > (held[e.author_device] ?? 0)).map(entryToJson);
};

describe('a received batch that changes roles or refuses a metadata change', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  async function family(...roles: ('adult' | 'teen' | 'guest')[]): Promise<TestApp[]> {
    const a = await device('Ana'); apps.push(a);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const others: TestApp[] = [];
    for (const role of roles) {
      const t = await device(role); apps.push(t); others.push(t);
      await t.c('space.join', { invite: (await a.c('space.invite', { space_id: SPACE, role })).invite });
    }
    const all = [a, ...others];
    const members = all.map((t) => t.app.ctx.keyring!.memberId);
    await waitFor('every device to know every member', () => all.every((t) => members.every((m) => roleOf(t.app.ctx, SPACE, m))));
    await waitFor('equal vectors', () => all.every((t) => JSON.stringify(vectorOf(t, SPACE)) === JSON.stringify(vectorOf(a, SPACE))));
    for (const t of all) t.app.sync!.pause();
    return all;
  }

  it('a role taken away inside a batch refuses what its member wrote after it, in the same batch', async () => {
    const [a, x, c] = await family('adult', 'adult');
    const xMember = x.app.ctx.keyring!.memberId;
    const before = await x.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'before', body: 'still an adult' });
    const first = lacking(x, c);
    // A makes X a guest (no WRITE); X has not heard of it and writes again
    await a.c('space.addMember', { space_id: SPACE, member_id: xMember, role: 'guest' });
    expect(roleOf(a.app.ctx, SPACE, xMember)).toBe('guest');
    const demotion = lacking(a, c);
    expect(demotion.length).toBeGreaterThan(0);
    const after = await x.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after', body: 'a guest now' });
    const second = lacking(x, c).slice(first.length);
    expect(second.length).toBeGreaterThan(0);

    const res = receiveEntries(c.app.ctx, SPACE, [...first, ...demotion, ...second]);
    expect(res.stored).toBe(first.length + demotion.length);
    expect(res.refused[0]).toMatchObject({ reason: 'role_write', author_device: x.app.ctx.keyring!.deviceId });
    expect(roleOf(c.app.ctx, SPACE, xMember)).toBe('guest');
    expect(docEntries(c.app.ctx, 'sync_log', SPACE, before.memory.memory_id)).toHaveLength(1);
    expect(docEntries(c.app.ctx, 'sync_log', SPACE, after.memory.memory_id)).toEqual([]);
    expect((await c.c('memory.get', { memory_id: before.memory.memory_id })).memory.title).toBe('before');
    await expect(c.c('memory.get', { memory_id: after.memory.memory_id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // a memory received whole keeps its one update as the read model's state (not encoded again): the same
    // document as the log's, and one a local edit continues from
    const id = before.memory.memory_id;
    const rec = loadRecord(c.app.ctx, id);
    const dek = unwrapDek(c.app.ctx, SPACE, id, rec.meta.dek as DekWrap)!;
    const fromLog = new Y.Doc();
    for (const e of docEntries(c.app.ctx, 'sync_log', SPACE, id)) Y.applyUpdate(fromLog, decryptEntry(e, dek)!);
    expect(readContent(openContentDoc(c.app.ctx, rec, dek))).toEqual(readContent(fromLog));
    const edited = await c.c('memory.update', { memory_id: id, base_version: rec.version, patch: { body: 'edited on C' } });
    expect(edited.memory).toMatchObject({ title: 'before', body: 'edited on C' });
  }, 60_000);

  it('a refused metadata change inside a batch is not what the entries after it, or the read model, see', async () => {
    const [a, teen, c] = await family('teen', 'adult');
    const m = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'AMBER', title: 'alarm', body: 'code 1234' })).memory;
    const created = lacking(a, c);
    expect(receiveEntries(c.app.ctx, SPACE, created).stored).toBe(created.length);
    const tctx = teen.app.ctx;
    expect(receiveEntries(tctx, SPACE, created).stored).toBe(created.length);
    // a teen lowering someone else's AMBER memory: a modified client writes it past its own policy
    tctx.uow.run(() => applyBand(tctx, tctx.keyring!.memberId, loadRecord(tctx, m.memory_id), 'GREEN'));
    const forged = lacking(teen, c);
    expect(forged.length).toBeGreaterThan(0);
    // then A edits the same memory: its entries are decided, and the memory materialised, after the refused one
    await a.c('memory.update', { memory_id: m.memory_id, base_version: m.version, patch: { body: 'code 5678' } });
    const edit = lacking(a, c);
    expect(edit.length).toBeGreaterThan(0);

    const res = receiveEntries(c.app.ctx, SPACE, [...forged, ...edit]);
    expect(res.refused.map((r) => r.author_device)).toEqual(forged.map(() => teen.app.ctx.keyring!.deviceId).slice(0, res.refused.length));
    expect(res.refused[0]!.reason).toMatch(/^role_/);
    expect(res.stored).toBe(edit.length);
    const got = (await c.c('memory.get', { memory_id: m.memory_id })).memory;
    expect(got).toMatchObject({ band: 'AMBER', body: 'code 5678' });
    // the metadata state the read model keeps (what a later local edit continues from) is the log's, without the refused change
    const kept = new Y.Doc();
    Y.applyUpdate(kept, loadRecord(c.app.ctx, m.memory_id).metaState);
    expect(readMeta(kept)).toEqual(heldMetaOf(c.app.ctx, SPACE, m.memory_id).meta);
    expect(readMeta(kept).band).toBe('AMBER');
  }, 60_000);

  it('an entry whose key id names another space\'s epoch, or a prefix of this one\'s, is refused; this space\'s own is not', async () => {
    const [a, c] = await family('adult');
    const ctx = a.app.ctx;
    const held = vectorOf(c, SPACE)[ctx.keyring!.deviceId] ?? 0;
    const forged = (seq: number, keyId: string): EntryJson => {
      const e = { space_id: SPACE, doc_id: '01M8W4WTMCC7RDPTRTBZSFDXA8.meta', author_device: ctx.keyring!.deviceId, seq, key_id: keyId, nonce: new Uint8Array(24), ciphertext: new Uint8Array(40) };
      return entryToJson({ ...e, signature: sign(entrySigningBytes(e), ctx.keyring!.deviceSign.privateKey) });
    };
    for (const keyId of ['epoch:shared:other:1', 'epoch:shared:famil:1', 'epoch:shared:family:0', `epoch:${SPACE}x:1`]) {
      const res = receiveEntries(c.app.ctx, SPACE, [forged(held + 1, keyId)]);
      expect(res.refused.map((r) => r.reason)).toEqual(['bad_key_id']);
    }
    // the right key id passes this check (the made-up ciphertext then fails to open: refused for its role check instead)
    const ok = receiveEntries(c.app.ctx, SPACE, [forged(held + 1, `epoch:${SPACE}:1`)]);
    expect(ok.refused.map((r) => r.reason)).not.toContain('bad_key_id');
  }, 60_000);
});
