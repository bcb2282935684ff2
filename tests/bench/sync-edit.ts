import { summarize, type Latency } from './stats';
import { progress, sleep, subscribe, until } from './sync-hosts';
import type { SyncHosts } from './sync-initial';

/**
 * One edit reaching a connected peer (spec §10: p95 ≤ 200 ms), on the two hosts left paired and
 * synced by sync-initial.ts. Per sample: memory.update on A over HTTP (a few words appended to one
 * memory's body), timed from before that call until B's WebSocket delivers the SYNC_APPLIED event
 * (core/sync/receive.ts, emitted when received entries are verified, stored and materialised)
 * naming that memory. Each sample is then checked, untimed, with memory.get on B; if B does not
 * show the new body yet, B is polled over HTTP every POLL_MS and the sample ends at the poll that
 * shows it (counted in `late_events`).
 *
 * Baseline: one Y.Text edit on a raw-Yjs peer, its update sent over plain TCP on loopback, applied
 * by the other peer, which acks with one byte; timed on the editing peer until the ack: a round
 * trip, so an upper bound of the one-way time. Samples alternate ours/baseline (and which goes
 * first), after WARMUP untimed edits on each side.
 */

const POLL_MS = 1;
const WARMUP = 5;

export interface EditSync { edits: number; ours: Latency; update_call: Latency; baseline: Latency; via: 'SYNC_APPLIED event on B\'s WebSocket'; late_events: number; poll_ms: number; memories_edited: number }

export async function measureEdits(h: SyncHosts, edits: number): Promise<EditSync> {
  const { a, b, memoryIds, peerA, peerB } = h;
  const { port } = await peerA.call('serveEdit');
  await peerB.call('joinEdit', { port });
  const ids = memoryIds.slice(0, 20);
  const bodies = new Map<string, string>();
  for (const id of ids) bodies.set(id, (await a.call('memory.get', { memory_id: id })).memory.body);

  let waiter: { id: string; done: (t: number) => void } | null = null;
  const sub = await subscribe(b, 'SYNC_APPLIED', (env) => {
    const t = performance.now();
    if (waiter && (env.payload.memory_ids as string[]).includes(waiter.id)) { const w = waiter; waiter = null; w.done(t); }
  });
  let late = 0;
  const oursEdit = async (i: number): Promise<[number, number]> => {
    const id = ids[((i % ids.length) + ids.length) % ids.length]!;
    const body = `${bodies.get(id)} edit ${i}`;
    bodies.set(id, body);
    let timer: NodeJS.Timeout | undefined;
    const applied = new Promise<number>((resolve, reject) => {
      waiter = { id, done: resolve };
      timer = setTimeout(() => reject(new Error(`no SYNC_APPLIED for edit ${i} on B within 30 s`)), 30_000);
    });
    const t0 = performance.now();
    await a.call('memory.update', { memory_id: id, patch: { body } });
    const t1 = performance.now();
    let t2 = await applied;
    clearTimeout(timer);
    if ((await b.call('memory.get', { memory_id: id })).memory.body !== body) {
      late++;
      await until(`B to show edit ${i}`, async () => (await b.call('memory.get', { memory_id: id })).memory.body === body, 30_000, POLL_MS);
      t2 = performance.now();
    }
    return [t2 - t0, t1 - t0];
  };
  const baseEdit = async (i: number): Promise<number> => (await peerA.call('edit', { i })).ms as number;

  progress(`${edits} edits on A reaching B (and as many raw-Yjs edits), alternating`);
  for (let i = 0; i < WARMUP; i++) { await oursEdit(-1 - i); await baseEdit(-1 - i); await sleep(20); }
  late = 0;
  const ours: number[] = [], upd: number[] = [], base: number[] = [];
  for (let i = 0; i < edits; i++) {
    if (i % 2 === 0) { const [x, u] = await oursEdit(i); ours.push(x); upd.push(u); base.push(await baseEdit(i)); }
    else { base.push(await baseEdit(i)); const [x, u] = await oursEdit(i); ours.push(x); upd.push(u); }
    await sleep(20); // edits spaced out, as a person types and saves, not a flood
  }
  sub.close();
  return { edits, ours: summarize(ours), update_call: summarize(upd), baseline: summarize(base), via: 'SYNC_APPLIED event on B\'s WebSocket', late_events: late, poll_ms: POLL_MS, memories_edited: ids.length };
}
