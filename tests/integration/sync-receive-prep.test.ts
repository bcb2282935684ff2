import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sign } from '../../core/crypto/sodium';
import { heldMetaOf } from '../../core/memories/materialise';
import { unwrapDek, type DekWrap } from '../../core/memories/memory-keys';
import { roleOf } from '../../core/spaces/spaces';
import { sealEntry } from '../../core/store/entry-seal';
import { entriesAfter, entrySigningBytes, entryToJson, type EntryJson } from '../../core/store/sync-log';
import { lastPrepUse, receiveEntries, type PrepUse } from '../../core/sync/receive';
import { prepareAhead, PREP_FROM, PREP_UP_TO, warmReceiveThread } from '../../core/sync/receive-prep-thread';
import { device, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

/**
 * A receiving host prepares large frames on a second thread (core/sync/receive-prep-thread.ts):
 * decoding and signatures, and each memory that arrives whole decrypted, read and sealed. What it
 * receives must be what it would receive without: the same entries stored and refused, the same
 * read model and index. The preparation is used only where this thread's state still matches it,
 * so a preparation that does not fit (a wrong key, a different update) changes nothing. Real
 * devices' logs, sessions paused, frames handed to receiveEntries as a session hands them.
 */
const SPACE = 'shared:family';

const lacking = (from: TestApp, to: TestApp): EntryJson[] => {
  const held = vectorOf(to, SPACE);
  return entriesAfter(from.app.ctx, SPACE, 0, 100_000).filter((e) => e.seq > (held[e.author_device] ?? 0)).map(entryToJson);
};

async function prepared(t: TestApp, raw: EntryJson[]): Promise<PrepUse> {
  warmReceiveThread();
  // the thread answers once it is loaded: until then a frame is applied without a preparation
  const p = await waitFor('the receive thread', () => prepareAhead(t.app.ctx, SPACE, raw));
  const use = await p;
  if (!use) throw new Error('no preparation');
  return use;
}

/** The content entry of memory `id` in `raw` replaced by `update`, sealed and signed by its author (a member writing what the app would not). */
function rewriteContent(author: TestApp, raw: EntryJson[], id: string, update: Uint8Array): void {
  const ctx = author.app.ctx;
  const i = raw.findIndex((e) => e.doc_id === id);
  const old = raw[i]!;
  const dek = unwrapDek(ctx, SPACE, id, heldMetaOf(ctx, SPACE, id).meta!.dek as DekWrap)!;
  const s = sealEntry(SPACE, id, old.key_id, dek, update);
  const header = { space_id: SPACE, doc_id: id, author_device: old.author_device, seq: old.seq, key_id: old.key_id, nonce: s.nonce, ciphertext: s.ciphertext };
  raw[i] = entryToJson({ ...header, signature: sign(entrySigningBytes(header, s.ciphertext_sha256), ctx.keyring!.deviceSign.privateKey) });
}

describe('a received frame prepared on the second thread', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  async function family(n: number): Promise<{ a: TestApp; others: TestApp[]; ids: string[] }> {
    const a = await device('Ana'); apps.push(a);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const others: TestApp[] = [];
    for (let k = 0; k < n; k++) {
      const t = await device(`adult${k}`); apps.push(t); others.push(t);
      await t.c('space.join', { invite: (await a.c('space.invite', { space_id: SPACE, role: 'adult' })).invite });
    }
    const all = [a, ...others];
    const members = all.map((t) => t.app.ctx.keyring!.memberId);
    await waitFor('every device to know every member', () => all.every((t) => members.every((m) => roleOf(t.app.ctx, SPACE, m))));
    await waitFor('equal vectors', () => all.every((t) => JSON.stringify(vectorOf(t, SPACE)) === JSON.stringify(vectorOf(a, SPACE))));
    for (const t of all) t.app.sync!.pause();
    // an import of 36 GREEN and AMBER memories (under the epoch key: prepared), and 4 RED ones (sealed to members: not)
    const memory = (i: number) => ({
      type: 'semantic', title: `Recipe ${i} for Oma`,
      body: `Grüße from the lighthouse, day ${i}: quokkafest ${i % 3 ? 'and soup' : ''}`, tags: ['family', `t${i % 4}`], people: ['Oma'], places: ['Lisbon'],
    });
    const { memory_ids: ids } = await a.c('memory.import', { space_id: SPACE, memories: Array.from({ length: 36 }, (_, i) => ({ ...memory(i), band: i % 2 ? 'AMBER' : 'GREEN' })) });
    for (let i = 36; i < 40; i++) ids.push((await a.c('memory.create', { space_id: SPACE, ...memory(i), band: 'RED' })).memory.memory_id);
    return { a, others, ids };
  }

  it('stores and materialises what receiving without it does, and uses it for the memories that arrived whole', async () => {
    const { a, others: [b, c], ids } = await family(2);
    const raw = lacking(a, b);
    expect(raw.length).toBeGreaterThanOrEqual(PREP_FROM);
    const plain = receiveEntries(c!.app.ctx, SPACE, raw);
    const use = await prepared(b!, raw);
    const res = receiveEntries(b!.app.ctx, SPACE, raw, use);
    expect(res.stored).toBe(plain.stored);
    expect(res.refused).toEqual([]);
    // every signature verified there, against the key held here; the 36 GREEN and AMBER memories written as prepared
    expect(lastPrepUse()).toEqual({ signatures: raw.length, memories: 36 });
    // the same memories, read models and search as the device that received without it
    expect(await stateOf(b!, SPACE)).toEqual(await stateOf(c!, SPACE));
    for (const id of ids.slice(0, 12)) expect((await b!.c('memory.get', { memory_id: id })).memory).toEqual((await c!.c('memory.get', { memory_id: id })).memory);
    for (const q of ['quokkafest', 'lighthouse soup', 'oma', 'grusse']) {
      const hits = async (t: TestApp) => (await t.c('memory.search', { query: q, space_id: SPACE })).hits.map((h: { memory_id: string }) => h.memory_id);
      expect(await hits(b!), q).toEqual(await hits(c!));
    }
    expect((await b!.c('memory.search', { query: 'quokkafest', space_id: SPACE })).hits.length).toBeGreaterThan(0);
  });

  it('a memory whose content holds a value that is not a text reads the same with it and without (the copy between threads would change the value), and no frame too small or too large is prepared', async () => {
    const { a, others: [b, c], ids } = await family(2);
    const raw = lacking(a, b!);
    // a tag that is an object whose prototype lib0's decoder sets: a structured copy drops it (review of 81e7962)
    const d = new Y.Doc();
    d.getText('title').insert(0, 'odd tags');
    d.getArray('tags').push([JSON.parse('{"__proto__":["zebra","walrus"]}'), 'normal']);
    d.getMap('fields').set('updated_at', 1_700_000_000_000);
    rewriteContent(a, raw, ids[3]!, Y.encodeStateAsUpdate(d));
    const use = await prepared(b!, raw);
    const res = receiveEntries(b!.app.ctx, SPACE, raw, use);
    const used = lastPrepUse();
    const plain = receiveEntries(c!.app.ctx, SPACE, raw);
    expect(res.stored).toBe(plain.stored);
    // the object tag is left out of the content on both threads (memory-shape.ts), so that memory is prepared too
    expect(used.memories).toBe(36);
    expect((await b!.c('memory.get', { memory_id: ids[3] })).memory.tags).toEqual(['normal']);
    for (const q of ['zebra', 'walrus', 'object', 'normal', 'odd']) {
      const hits = async (t: TestApp) => (await t.c('memory.search', { query: q, space_id: SPACE })).hits.map((h: { memory_id: string }) => h.memory_id);
      expect(await hits(b!), q).toEqual(await hits(c!));
    }
    expect(prepareAhead(b!.app.ctx, SPACE, raw.slice(0, PREP_FROM - 1))).toBeNull();
    expect(prepareAhead(b!.app.ctx, SPACE, Array.from({ length: PREP_UP_TO + 1 }, () => raw[0]))).toBeNull();
  });

  it('changes nothing where it does not fit: a wrong author key, a different update, a wrong key for the memory, a tampered entry', async () => {
    const { a, others: [b, c], ids } = await family(2);
    const raw = lacking(a, b);
    const use = await prepared(b!, raw);
    // the author's key as the preparation was given it is not the one held here: verified here
    const author = raw[0]!.author_device;
    use.keys.pubkeys[author] = new Uint8Array(32).fill(7);
    // one memory's update is not what the log holds, another's key is not the one this device opens
    const bent = use.prep.memories[0]!;
    bent.contentPlain = Uint8Array.from(bent.contentPlain); bent.contentPlain[bent.contentPlain.length - 1]! ^= 1;
    bent.content = { ...bent.content, title: 'not from the log' };
    const rekeyed = use.prep.memories[1]!;
    rekeyed.dek = new Uint8Array(32).fill(9);
    rekeyed.content = { ...rekeyed.content, title: 'not from the log either' };
    // and one entry of the frame has a flipped byte in its ciphertext (the preparation said its signature held)
    const tampered = raw.findIndex((e, i) => i > 10 && !e.doc_id.includes('.'));
    const bad = [...raw];
    const ct = Buffer.from(bad[tampered]!.ciphertext, 'base64'); ct[0]! ^= 1;
    bad[tampered] = { ...bad[tampered]!, ciphertext: ct.toString('base64') };
    use.prep.entries[tampered] = { ...use.prep.entries[tampered]!, ciphertext: new Uint8Array(ct) };

    const res = receiveEntries(b!.app.ctx, SPACE, bad, use);
    const used = lastPrepUse();
    const plain = receiveEntries(c!.app.ctx, SPACE, bad);
    expect(res.refused.map((r) => r.reason)).toEqual(plain.refused.map((r) => r.reason));
    expect(res.stored).toBe(plain.stored);
    expect(used.signatures).toBe(0); // every entry's author is the one whose key did not match
    // the memories stored whole before the tampered entry (the entries after it wait for it: gaps), but the two that do not fit
    const whole = bad.slice(0, tampered).filter((e) => !e.doc_id.includes('.')).length;
    expect(used.memories).toBe(whole - 2);
    expect(await stateOf(b!, SPACE)).toEqual(await stateOf(c!, SPACE));
    const titles = Object.values(await stateOf(b!, SPACE)).map((m) => m.title);
    expect(titles).not.toContain('not from the log');
    expect(titles).not.toContain('not from the log either');
    expect(ids.length).toBe(40);
  });
});
