import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Ctx } from '../context/ctx';
import { deviceRow } from '../members/devices';
import { metaKeyFor } from '../memories/read-model';
import { workerSource } from '../shared/worker-source';
import { epochKeys } from '../spaces/epoch-keys';
import { spaceRow } from '../spaces/spaces';
import type { PrepKeys } from './receive-prep';
import type { PrepReply, PrepRequest } from './receive-prep-worker';
import type { PrepUse } from './receive';

/**
 * A receiving host's second thread. During an initial sync the peer sends frames back to back,
 * and this thread was busy all the time applying them: the schema check, decoding and signature of
 * every entry, and for each new memory its decryption, documents, sealed read model and impact,
 * took ~40 % of it and read no database. So a session hands each large `entries` frame over as it
 * arrives (prepareAhead) and applies frames in arrival order, each once its preparation is back:
 * the worker prepares frame k+1 while this thread applies frame k.
 *
 * The worker starts when sync starts (warmBuiltReceiveThread: an idle thread costs memory, not
 * CPU, and a device's first sync, the one that brings most, follows its pairing at once), else at
 * a hello from a peer far ahead or the first large frame. Frames that come before it is loaded
 * (~0.4 s, its schema ~0.4 s more) are applied without a preparation, as is any frame it fails or
 * does not answer in time; a worker that failed once is not used again.
 */

/** a frame with fewer entries is applied at once (a live edit: the round trip would only add latency) */
export const PREP_FROM = 32;
/** nor one with more (a session sends 256 at most): a frame is prepared in well under the timeout below */
export const PREP_UP_TO = 1024;
/** how long a frame waits for its preparation before it is applied without */
const REPLY_TIMEOUT_MS = 10_000;
/** epochs a preparation is given keys for (the latest ones: a space rotates its key rarely) */
const MAX_EPOCHS = 64;

class PrepThread {
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: PrepReply | null) => void>();
  private next = 1;
  failed = false;
  /** loaded, its schema compiled: until then frames are applied without a preparation rather than wait for it */
  ready = false;

  constructor(source: string, evaluate: boolean) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(source, { eval: evaluate, workerData: { port: port2 }, transferList: [port2] });
    this.port.on('message', (r: PrepReply) => {
      if ('ready' in r) { this.ready = true; return; }
      const done = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (done) done(r);
      else if ('prep' in r) for (const m of r.prep.memories) m.dek.fill(0); // too late: nobody applies it
    });
    // never what keeps a process (a CLI call, a test) alive: after the listener, which refs the port again
    this.worker.unref();
    this.port.unref();
    const fail = () => this.stop();
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  ask(req: Omit<PrepRequest, 'id'>): Promise<PrepReply | null> {
    if (this.failed) return Promise.resolve(null);
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.pending.delete(id); resolve(null); this.stop(); }, REPLY_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, (r) => { clearTimeout(timer); resolve(r); });
      this.port.postMessage({ id, ...req } satisfies PrepRequest);
    });
  }

  stop(): void {
    if (this.failed) return;
    this.failed = true;
    for (const done of this.pending.values()) done(null);
    this.pending.clear();
    void this.worker.terminate();
  }
}

let thread: PrepThread | null = null;

function prepThread(): PrepThread | null {
  if (process.env.MEMORYOS_RECEIVE_THREAD === 'off') return null;
  if (!thread) {
    const w = workerSource(__dirname, 'receive-prep-worker');
    if (!w) return null;
    try { thread = new PrepThread(w.source, w.eval); } catch { return null; }
  }
  return thread.failed ? null : thread;
}

/** Starts the second thread if it is not running (a hello from a peer far ahead; the first large frame starts it too, and is applied without it). */
export function warmReceiveThread(): void { prepThread(); }

/**
 * Starts it when sync starts, where it is built JavaScript (dist/: a host, the desktop app's core
 * worker). From source (a development checkout's tests) it loads through tsx in seconds of CPU,
 * in every test process that syncs: there it waits for a peer far ahead, as before.
 */
export function warmBuiltReceiveThread(): void {
  if (workerSource(__dirname, 'receive-prep-worker')?.eval === false) prepThread();
}

/** Whether large frames are prepared now (tests): the thread runs and has said it is loaded. */
export const receiveThreadReady = (): boolean => !!thread?.ready && !thread.failed;

/** Copies of the keys a frame's preparation may use, as this device holds them now (null: locked, or nothing to prepare with). */
export function prepKeys(ctx: Ctx, space: string, raw: unknown[]): PrepKeys | null {
  if (!ctx.keyring) return null;
  // no prototype: an author named "__proto__" or "constructor" is a name like any other
  const pubkeys = Object.create(null) as Record<string, Uint8Array>;
  for (const j of raw) {
    const a = (j as { author_device?: unknown } | null)?.author_device;
    if (typeof a !== 'string' || Object.hasOwn(pubkeys, a) || Object.keys(pubkeys).length >= 64) continue;
    const dev = deviceRow(ctx, a);
    if (dev) pubkeys[a] = Uint8Array.from(dev.ed25519_pub);
  }
  const epoch = spaceRow(ctx, space).epoch;
  const epochs: Record<number, Uint8Array[]> = {};
  for (let n = Math.max(1, epoch - MAX_EPOCHS + 1); n <= epoch; n++) {
    try { epochs[n] = epochKeys(ctx, space, n).map((k) => Uint8Array.from(k)); } catch { /* an epoch this device cannot open */ }
  }
  let metaKey: PrepKeys['metaKey'] = null;
  try { const mk = metaKeyFor(ctx, space, 'GREEN'); metaKey = { keyId: mk.keyId, key: Uint8Array.from(mk.key) }; } catch { metaKey = null; }
  return { pubkeys, epochs, metaKey };
}

/**
 * A large frame's preparation, started now on the second thread (null: not worth it, or no
 * worker). The promise never rejects: a preparation that failed is null, and the frame is applied
 * without one.
 */
export function prepareAhead(ctx: Ctx, space: string, raw: unknown[]): Promise<PrepUse | null> | null {
  if (!Array.isArray(raw) || raw.length < PREP_FROM || raw.length > PREP_UP_TO) return null;
  const t = prepThread();
  if (!t?.ready) return null;
  let k: PrepKeys | null;
  try { k = prepKeys(ctx, space, raw); } catch { k = null; }
  if (!k) return null;
  const mine = k;
  const reply = t.ask({ space, raw, keys: mine });
  // posted, so copied to the worker (which zeroes its copies): the epoch keys are not needed here;
  // the authors' keys and the metadata key stay, to check the preparation against
  for (const ks of Object.values(mine.epochs)) for (const x of ks) x.fill(0);
  const none = () => { mine.metaKey?.key.fill(0); return null; };
  return reply.then((r) => (r && 'prep' in r ? { prep: r.prep, keys: { pubkeys: mine.pubkeys, epochs: {}, metaKey: mine.metaKey } } : none()), none);
}

/** Stops the second thread for good in this process: every frame is applied without a preparation from here on (tests). */
export function stopReceiveThread(): void { thread?.stop(); }
