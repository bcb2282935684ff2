/**
 * The receiving side of an initial sync in one process, counted in CPU time (the machine is
 * shared: wall time across runs says little). Two real vaults from dist/ paired over loopback,
 * then their sessions closed; A imports n memories; A's log is read in the batches a session sends
 * (entriesAfter, entryToJson, a frame through JSON) and B decodes each frame (JSON, the frame
 * schema) and applies it with receiveEntries — the calls Session.flush and Session.onEntries make,
 * without the socket. Prints the CPU ms of each side, and B's wall time (its commits' fsync waits).
 *
 * With --prep each frame is first prepared on the receiving host's second thread, two frames
 * ahead of the one applied, as a session does while frames arrive: then the CPU figure counts both
 * threads, and the wall time is what to compare.
 *
 *   npx tsc -p tsconfig.json && npx tsx tests/bench/sync-receive.ts [n=2000] [--profile=/dir] [--prep]
 */
import { Session } from 'node:inspector';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryAt } from './corpus';
import { ROOT } from './core-dist';
import type * as AppModule from '../../core/app/app';
import type * as InternalsModule from '../../core/app/internals';
import type * as SyncLogModule from '../../core/store/sync-log';
import type * as ReceiveModule from '../../core/sync/receive';
import type * as FramesModule from '../../core/sync/frames';
import type * as PrepThreadModule from '../../core/sync/receive-prep-thread';

// eslint-disable-next-line @typescript-eslint/no-require-imports
// MEMORYOS_BENCH_ROOT: another checkout's build (an A/B against a base commit, run alternately)
const load = <T>(rel: string): T => require(join(process.env.MEMORYOS_BENCH_ROOT ?? ROOT, 'dist', rel)) as T;
const { openApp } = load<typeof AppModule>('core/app/app.js');
const { internals } = load<typeof InternalsModule>('core/app/internals.js');
const { entriesAfter, entryToJson, spaceVector } = load<typeof SyncLogModule>('core/store/sync-log.js');
const { receiveEntries } = load<typeof ReceiveModule>('core/sync/receive.js');
const { decodeFrame, encodeFrame } = load<typeof FramesModule>('core/sync/frames.js');
// --prep: each frame prepared on the second thread first, as a session does (receive-prep-thread.ts), two frames ahead
const prepThread = process.argv.includes('--prep') ? load<typeof PrepThreadModule>('core/sync/receive-prep-thread.js') : null;
type Frame = FramesModule.Frame;

const SPACE = 'personal:me';
const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
const profDir = process.argv.find((a) => a.startsWith('--profile='))?.slice(10);
const BATCH_ENTRIES = Number(process.env.MEMORYOS_BENCH_BATCH_ENTRIES ?? 256);

const cpuMs = (f: () => void): number => { const t = process.cpuUsage(); f(); const d = process.cpuUsage(t); return (d.user + d.system) / 1000; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => Promise<T> | T, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function device(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `memoryos-sync-receive-${name}-`));
  const app = await openApp({ dataDir: dir, sync: { direct: { host: '127.0.0.1' }, helloMs: 300 } });
  const i = internals(app);
  const c = (m: string, p: unknown = {}) => app.call(m, p, {}) as Promise<any>;
  await c('vault.create', { passphrase: 'correct horse battery staple', name: 'Ana' });
  const node = await i.startSync();
  return { app, ctx: i.ctx, node, c, close: async () => { await app.close(); rmSync(dir, { recursive: true, force: true }); } };
}

async function main(): Promise<void> {
  // started first, and waited for below: the steady state is what this measures (a host starts it when sync starts)
  prepThread?.warmReceiveThread();
  const a = await device('a');
  const b = await device('b');
  try {
    // B pairs as a second device of A's member, as the API does it
    const offer = await a.c('device.pairOffer', {});
    const acc = await b.c('device.pairAccept', { invite: offer.invite });
    const bId = b.ctx.keyring!.deviceId;
    await until('the offer', async () => (await a.c('sync.status', {})).offers?.find((o: any) => o.device_id === bId)?.code === acc.code);
    await b.c('device.confirm', { device_id: acc.device_id });
    await until('A to confirm B', async () => (await a.c('device.confirm', { device_id: bId })).status === 'trusted');
    await until('adoption', () => b.ctx.keyring!.memberId === a.ctx.keyring!.memberId);
    await until('B to hold A\'s space', () => Object.keys(spaceVector(b.ctx, SPACE)).length > 0);
    await sleep(500);
    a.node.pause();
    b.node.pause();
    const held = spaceVector(b.ctx, SPACE);
    for (let start = 0; start < n; start += 1000) {
      const memories = Array.from({ length: Math.min(1000, n - start) }, (_, k) => memoryAt(start + k, n));
      await a.c('memory.import', { space_id: SPACE, memories });
    }
    // A's side: the frames a session sends (the cursor walks the log and skips what B holds)
    const frames: Buffer[] = [];
    const send = cpuMs(() => {
      const sent = { ...held };
      let cursor = 0;
      for (;;) {
        const rows = entriesAfter(a.ctx, SPACE, cursor, BATCH_ENTRIES);
        if (!rows.length) break;
        const out = [];
        for (const r of rows) {
          cursor = r.id;
          if (r.seq !== (sent[r.author_device] ?? 0) + 1) continue;
          sent[r.author_device] = r.seq;
          out.push(entryToJson(r));
        }
        if (out.length) frames.push(encodeFrame({ t: 'entries', space: SPACE, batch: frames.length + 1, entries: out } as Frame));
      }
    });
    let stored = 0, refused = 0;
    const s = profDir ? new Session() : null;
    if (s) { s.connect(); await new Promise((r) => s.post('Profiler.enable', () => s.post('Profiler.start', r))); }
    const w0 = performance.now();
    if (prepThread) await until('the receive thread', () => prepThread.receiveThreadReady());
    let prepared = 0;
    const c0 = process.cpuUsage();
    if (prepThread) {
      const decoded = frames.map((buf) => decodeFrame(buf) as Extract<Frame, { t: 'entries' }>);
      const preps: (ReturnType<typeof prepThread.prepareAhead>)[] = [];
      const ahead = (k: number) => { if (k < decoded.length) preps[k] = prepThread.prepareAhead(b.ctx, SPACE, decoded[k]!.entries); };
      ahead(0); ahead(1);
      for (const [k, f] of decoded.entries()) {
        const p = (await preps[k]) ?? undefined;
        ahead(k + 2);
        const res = receiveEntries(b.ctx, SPACE, f.entries, p);
        prepared += (load<typeof ReceiveModule>('core/sync/receive.js')).lastPrepUse().memories;
        stored += res.stored; refused += res.refused.length;
      }
    } else {
      for (const buf of frames) {
        const f = decodeFrame(buf) as Extract<Frame, { t: 'entries' }>;
        const res = receiveEntries(b.ctx, SPACE, f.entries);
        stored += res.stored; refused += res.refused.length;
      }
    }
    const cu = process.cpuUsage(c0);
    const recv = (cu.user + cu.system) / 1000;
    // wall time too: a commit's fsync waits without CPU (synchronous = FULL), and that wait is per batch
    const recvWall = performance.now() - w0;
    if (s) {
      await new Promise<void>((r) => s.post('Profiler.stop', (_e, res) => { mkdirSync(profDir!, { recursive: true }); writeFileSync(join(profDir!, `receive-${n}.cpuprofile`), JSON.stringify((res as { profile: unknown }).profile)); r(); }));
      s.disconnect();
    }
    const listed = (await b.c('memory.list', { space_id: SPACE, limit: 1 })).total;
    console.log(JSON.stringify({ n, frames: frames.length, stored, refused, listed, send_cpu_ms: Math.round(send), receive_cpu_ms: Math.round(recv), receive_wall_ms: Math.round(recvWall), receive_us_per_entry: Math.round((recv * 1000) / Math.max(1, stored)), receive_wall_us_per_entry: Math.round((recvWall * 1000) / Math.max(1, stored)), ...(prepThread ? { prepared } : {}) }));
    if (listed < n || refused) process.exitCode = 1;
  } finally {
    await a.close();
    await b.close();
  }
}

void main();
