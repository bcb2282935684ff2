import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Band } from '../../contracts/types';
import { buildNewMemory, type BuiltMemory, type NewMemory } from './fresh-updates';
import type { MetaKey } from './record-seal';
import type { BuildReply, BuildRequest } from './fresh-updates-worker';

/**
 * Where a bulk import builds and seals its new memories (fresh-updates.ts buildNewMemory: the Yjs
 * documents, the search impact, the AEAD of the log entries and the read model): 40 % of an
 * import's time on one thread, and work that needs no database, so a second thread does it while
 * this one writes.
 *
 * The writes stay in one synchronous unit of work (nothing else may run on the connection in the
 * middle of it), so this thread takes each chunk's updates synchronously: the worker posts a
 * reply on a MessageChannel and then bumps a shared counter; this thread reads the channel with
 * receiveMessageOnPort and, when nothing is there yet, sleeps on the counter (Atomics.wait).
 *
 * Whatever goes wrong with the worker costs only speed: a chunk it fails, or does not answer in
 * time, is built here, and a worker that failed once is not used again. What is built is the same
 * either way (the same function; only the random nonces differ), and a reply of an earlier,
 * abandoned import is told by its job number and dropped.
 */

/** memories per message: small enough that the first chunk's wait is short, large enough that messages are few */
export const IMPORT_CHUNK = 50;
/** below this many memories the worker is not worth a round trip (a create, a small import) */
const WORKER_FROM = 2 * IMPORT_CHUNK;
/** how long one chunk may take on the worker before it is built here instead */
const REPLY_TIMEOUT_MS = 10_000;

/** the metadata key of each band a chunk holds */
export type MetaKeys = Partial<Record<Band, MetaKey>>;
export interface FreshTicket { job: number; clientId: number; metaKeys: MetaKeys; memories: NewMemory[] }

export interface FreshUpdatesBuilder {
  /** hands a chunk over to be built (in order): the ticket takes it back */
  submit(clientId: number, metaKeys: MetaKeys, memories: NewMemory[]): FreshTicket;
  /** a submitted chunk built, in its order */
  take(t: FreshTicket): BuiltMemory[];
}

let jobs = 0;

/** Builds on this thread, when taken. */
const here: FreshUpdatesBuilder = {
  submit: (clientId, metaKeys, memories) => ({ job: ++jobs, clientId, metaKeys, memories }),
  take: (t) => t.memories.map((m) => buildNewMemory(t.clientId, m, t.metaKeys[m.meta.band]!)),
};

/**
 * The worker thread, started at the first large import of this process and shared by every vault
 * it opens. It is used once it has said it runs (a flag it sets when its code has loaded): an
 * import never waits for it to start, and where it cannot start (a packaged app that cannot load
 * it, say) every import simply runs here.
 */
class ThreadBuilder implements FreshUpdatesBuilder {
  private readonly port: MessagePort;
  /** [replies posted, ready]: shared with the worker (fresh-updates-worker.ts) */
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  failed = false;

  constructor(source: string, evaluate: boolean) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(source, { eval: evaluate, workerData: { port: port2, shared: this.shared }, transferList: [port2] });
    // never what keeps a process (a CLI call, a test) alive
    this.worker.unref();
    this.worker.on('error', () => { this.failed = true; });
    this.worker.on('exit', () => { this.failed = true; });
  }

  get ready(): boolean { return !this.failed && Atomics.load(this.shared, 1) === 1; }

  submit(clientId: number, metaKeys: MetaKeys, memories: NewMemory[]): FreshTicket {
    const t = { job: ++jobs, clientId, metaKeys, memories };
    if (!this.failed) this.port.postMessage({ job: t.job, clientId, metaKeys, memories } satisfies BuildRequest);
    return t;
  }

  take(t: FreshTicket): BuiltMemory[] {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    while (!this.failed) {
      const seen = Atomics.load(this.shared, 0);
      const msg = receiveMessageOnPort(this.port)?.message as BuildReply | undefined;
      if (msg) {
        if (msg.job < t.job) continue; // a chunk of an import that was abandoned (it threw): dropped
        if (msg.job === t.job && 'built' in msg && msg.built.length === t.memories.length) return msg.built;
        break; // the worker could not build it, or answers out of order: this chunk is built here
      }
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.shared, 0, seen, left) === 'timed-out') { this.stop(); break; }
    }
    return here.take(t);
  }

  stop(): void {
    this.failed = true;
    void this.worker.terminate();
  }
}

let thread: ThreadBuilder | null = null;

/**
 * The worker beside this file: its built JavaScript, or (tests run from source) its TypeScript
 * through tsx's require hook, when tsx is installed (a development checkout).
 */
function workerSource(): { source: string; eval: boolean } | null {
  const js = join(__dirname, 'fresh-updates-worker.js');
  if (existsSync(js)) return { source: js, eval: false };
  const ts = join(__dirname, 'fresh-updates-worker.ts');
  if (!existsSync(ts)) return null;
  let hook: string;
  try { hook = createRequire(__filename).resolve('tsx/cjs'); } catch { return null; }
  return { source: `require(${JSON.stringify(hook)}); require(${JSON.stringify(ts)});`, eval: true };
}

/**
 * The builder for an import of `count` memories: the worker when it pays and runs, else this
 * thread (`MEMORYOS_IMPORT_THREAD=off` keeps every import here: a comparison, a machine with one core).
 */
export function freshUpdatesBuilder(count: number): FreshUpdatesBuilder {
  if (count < WORKER_FROM || process.env.MEMORYOS_IMPORT_THREAD === 'off') return here;
  if (!thread) {
    const w = workerSource();
    if (!w) return here;
    try { thread = new ThreadBuilder(w.source, w.eval); } catch { return here; }
  }
  return thread.ready ? thread : here;
}

/** Whether large imports build on the worker now (it started, said it runs, and has not failed). */
export const importThreadReady = (): boolean => !!thread?.ready;

/** Stops the worker for good in this process: every import runs on this thread from here on (tests). */
export function stopImportThread(): void { thread?.stop(); }
