import { summarize, type Latency } from './stats';
import { progress, sleep, until } from './sync-hosts';
import type { SyncHosts } from './sync-initial';

/**
 * One edit reaching a connected peer (spec §10: p95 ≤ 200 ms), on the two hosts left paired and
 * synced by sync-initial.ts. Per sample: memory.update on A (a few words appended to one memory's
 * body, over HTTP) and then memory.get on B over HTTP every POLL_MS until B returns the new body;
 * from before the update call to B's answer. The host emits no event when it applies received
 * entries (core/sync/receive.ts and materialise.ts emit none), so B is polled rather than
 * subscribed to over its WebSocket.
 *
 * Baseline: one Y.Text edit on a raw-Yjs peer, its update sent over plain TCP on loopback, applied
 * by the other peer, which acks with one byte; timed on the editing peer until the ack: a round
 * trip, so an upper bound of the one-way time. Samples alternate ours/baseline (and which goes
 * first), after WARMUP untimed edits on each side.
 */

const POLL_MS = 1;
const WARMUP = 5;

export interface EditSync { edits: number; ours: Latency; update_call: Latency; baseline: Latency; poll_ms: number; polls_per_edit: number; memories_edited: number }

export async function measureEdits(h: SyncHosts, edits: number): Promise<EditSync> {
  const { a, b, memoryIds, peerA, peerB } = h;
  const { port } = await peerA.call('serveEdit');
  await peerB.call('joinEdit', { port });
  const ids = memoryIds.slice(0, 20);
  const bodies = new Map<string, string>();
  for (const id of ids) bodies.set(id, (await a.call('memory.get', { memory_id: id })).memory.body);

  let polls = 0;
  const oursEdit = async (i: number): Promise<[number, number]> => {
    const id = ids[((i % ids.length) + ids.length) % ids.length]!;
    const body = `${bodies.get(id)} edit ${i}`;
    bodies.set(id, body);
    const t0 = performance.now();
    await a.call('memory.update', { memory_id: id, patch: { body } });
    const t1 = performance.now();
    await until(`B to show edit ${i}`, async () => { polls++; return (await b.call('memory.get', { memory_id: id })).memory.body === body; }, 30_000, POLL_MS);
    return [performance.now() - t0, t1 - t0];
  };
  const baseEdit = async (i: number): Promise<number> => (await peerA.call('edit', { i })).ms as number;

  progress(`${edits} edits on A reaching B (and as many raw-Yjs edits), alternating`);
  for (let i = 0; i < WARMUP; i++) { await oursEdit(-1 - i); await baseEdit(-1 - i); await sleep(20); }
  polls = 0;
  const ours: number[] = [], upd: number[] = [], base: number[] = [];
  for (let i = 0; i < edits; i++) {
    if (i % 2 === 0) { const [x, u] = await oursEdit(i); ours.push(x); upd.push(u); base.push(await baseEdit(i)); }
    else { base.push(await baseEdit(i)); const [x, u] = await oursEdit(i); ours.push(x); upd.push(u); }
    await sleep(20); // edits spaced out, as a person types and saves, not a flood
  }
  return { edits, ours: summarize(ours), update_call: summarize(upd), baseline: summarize(base), poll_ms: POLL_MS, polls_per_edit: polls / edits, memories_edited: ids.length };
}
