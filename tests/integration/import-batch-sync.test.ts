import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEntries, entryToJson, type EntryJson } from '../../core/store/sync-log';
import { prepUseTotals, receiveEntries } from '../../core/sync/receive';
import { receiveThreadReady, warmReceiveThread } from '../../core/sync/receive-prep-thread';
import { device, pair, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const SPACE = 'personal:me';
const N = 300;
const items = Array.from({ length: N }, (_, k) => ({ type: 'semantic', band: k % 5 ? 'GREEN' : 'AMBER', title: `imported ${k}`, body: `the body of imported note ${k}` }));
const flip = (s64: string, at: number) => { const b = Buffer.from(s64, 'base64'); b[at % b.length] ^= 1; return b.toString('base64'); };

// A bulk import's log entries are batch-signed (one Ed25519 signature per run of entries, a Merkle
// path each, sync-log.ts). B verifies each as strictly as a single entry: a changed byte, a swapped
// proof, a shortened path or a changed batch signature is refused and nothing of it stored; the
// honest batch syncs whole over a real socket.
describe('an imported batch on a paired device', () => {
  let a: TestApp; let b: TestApp;
  let fresh: EntryJson[] = [];
  let ids: string[] = [];
  beforeAll(async () => {
    a = await device('Ana'); b = await device('Ana');
    await pair(a, b);
    await waitFor('B to hold the space', () => JSON.stringify(vectorOf(b, SPACE)) === JSON.stringify(vectorOf(a, SPACE)), 30_000);
    await b.c('sync.disconnect');
    const held = vectorOf(b, SPACE)[a.app.ctx.keyring!.deviceId] ?? 0;
    ids = (await a.c('memory.import', { space_id: SPACE, memories: items })).memory_ids;
    fresh = [...allEntries(a.app.ctx, 'sync_log')].filter((e) => e.space_id === SPACE && e.author_device === a.app.ctx.keyring!.deviceId && e.seq > held).map(entryToJson);
  }, 120_000);
  afterAll(async () => { await a?.close(); await b?.close(); });

  it('is written batch-signed: two entries a memory, a proof each, not a signature each', () => {
    expect(fresh).toHaveLength(2 * N);
    for (const e of fresh) expect(Buffer.from(e.signature, 'base64').length).toBeGreaterThan(64);
    // one Ed25519 signature (bytes 9..73 of a proof) per run of up to 128 entries
    expect(new Set(fresh.map((e) => Buffer.from(e.signature, 'base64').subarray(9, 73).toString('hex'))).size).toBe(Math.ceil((2 * N) / 128));
  });

  it('refuses a tampered entry, a swapped proof, a shortened path, a changed batch signature — and stores nothing', () => {
    const before = vectorOf(b, SPACE);
    const [e0, e1] = [fresh[0]!, fresh[1]!];
    const tampered: [string, EntryJson][] = [
      ['ciphertext', { ...e0, ciphertext: flip(e0.ciphertext, 10) }],
      ['nonce', { ...e0, nonce: flip(e0.nonce, 3) }],
      ['doc', { ...e0, doc_id: e1.doc_id }],
      ['swapped proof', { ...e0, signature: e1.signature }],
      ['batch signature', { ...e0, signature: flip(e0.signature, 20) }],
      ['path', { ...e0, signature: flip(e0.signature, Buffer.from(e0.signature, 'base64').length - 1) }],
      ['shortened path', { ...e0, signature: Buffer.from(e0.signature, 'base64').subarray(0, Buffer.from(e0.signature, 'base64').length - 32).toString('base64') }],
      ['index', { ...e0, signature: (() => { const s = Buffer.from(e0.signature, 'base64'); s.writeUInt32BE(1, 5); return s.toString('base64'); })() }],
      ['count', { ...e0, signature: (() => { const s = Buffer.from(e0.signature, 'base64'); s.writeUInt32BE(127, 1); return s.toString('base64'); })() }],
    ];
    for (const [what, e] of tampered) {
      const r = receiveEntries(b.app.ctx, SPACE, [e]);
      expect(r.stored, what).toBe(0);
      expect(r.refused.map((x) => x.reason), what).toEqual(['bad_signature']);
    }
    // the second entry of the batch alone is a gap (its predecessor is missing), not stored either
    expect(receiveEntries(b.app.ctx, SPACE, [e1]).refused.map((x) => x.reason)).toEqual(['gap']);
    expect(vectorOf(b, SPACE)).toEqual(before);
    // the honest first entry is stored; sent again it is a duplicate
    expect(receiveEntries(b.app.ctx, SPACE, [e0]).stored).toBe(1);
    expect(receiveEntries(b.app.ctx, SPACE, [e0]).refused.map((x) => x.reason)).toEqual(['duplicate']);
  });

  it('syncs whole over the socket: every imported memory opens on B', async () => {
    // the helper thread starts when sync starts, and from source loads through tsx in seconds
    // (from dist/, ~0.4 s): frames before that are applied without it, so it is waited for first
    warmReceiveThread();
    await waitFor('the receive thread', () => receiveThreadReady(), 30_000);
    const before = prepUseTotals();
    await b.c('sync.connect', { address: `127.0.0.1:${a.app.sync!.direct!.port}` });
    await waitFor('B to hold the import', () => JSON.stringify(vectorOf(b, SPACE)) === JSON.stringify(vectorOf(a, SPACE)), 60_000, 100);
    const state = await stateOf(b, SPACE);
    for (const [k, id] of ids.entries()) expect(state[id], `memory ${k}`).toMatchObject({ title: `imported ${k}`, body: `the body of imported note ${k}`, band: items[k]!.band });
    expect(Object.keys(b.app.sync!.refused).filter((r) => !['duplicate', 'gap'].includes(r))).toEqual([]);
    // the frames came large: B's session prepared them on its second thread (receive-prep-thread.ts) and wrote most memories as prepared
    expect(prepUseTotals().memories - before.memories).toBeGreaterThan(N / 2);
  }, 90_000);
});
