import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Band } from '../../contracts/types';
import { workerSource } from '../shared/worker-source';
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
 * time, is built here; a worker that did not answer in time, or exited, is not used again (one that
 * threw on a chunk still is: the throw was about those memories, which this thread builds with the
 * same function). What is built is the same
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

/** One import's chunks: handed over in order as they are planned, taken back built in the same order. */
export interface FreshBatch {
  /** hands the next chunk over to be built */
  submit(memories: NewMemory[]): void;
  /** chunk `i` (in submission order) built; taken in order */
  take(i: number): BuiltMemory[];
  /** the import is over (written, or it threw): nothing not started yet is built, and what was built and not taken is dropped */
  close(): void;
}

let jobs = 0;

/** Who built the chunks of the last import of this process (tests: that both threads build). */
export interface ImportSplit { worker: number; here: number }
/** chunks taken, and how many of them this thread built (the rest are the worker's) */
let lastCount = { taken: 0, here: 0 };
export const lastImportSplit = (): ImportSplit => ({ worker: lastCount.taken - lastCount.here, here: lastCount.here });

const buildHere = (clientId: number, metaKeys: MetaKeys, memories: NewMemory[]): BuiltMemory[] =>
  memories.map((m) => buildNewMemory(clientId, m, metaKeys[m.meta.band]!));

/** Builds on this thread, when taken. */
class HereBatch implements FreshBatch {
  private readonly chunks: NewMemory[][] = [];
  private readonly count = (lastCount = { taken: 0, here: 0 });
  constructor(private readonly clientId: number, private readonly metaKeys: MetaKeys) {}
  submit(memories: NewMemory[]): void { this.chunks.push(memories); }
  take(i: number): BuiltMemory[] { this.count.taken++; this.count.here++; return buildHere(this.clientId, this.metaKeys, this.chunks[i]!); }
  close(): void { /* nothing is built ahead here */ }
}

/** a chunk's claim (shared with the worker): nobody yet, the worker, this thread */
const FREE = 0;
const HERE = 2;

/**
 * One import's chunks on the worker, with this thread helping: when the chunk it needs next is
 * still being built there, it builds the last chunk nobody has started (claimed through a shared
 * array, so each chunk is built once) instead of sleeping. Neither thread then waits on the
 * other for long, whichever of building and writing is the slower per memory on this machine.
 */
class ThreadBatch implements FreshBatch {
  private readonly job = ++jobs;
  private readonly chunks: NewMemory[][] = [];
  /** what this thread built ahead, by chunk */
  private readonly ahead = new Map<number, BuiltMemory[]>();
  private readonly claims: Int32Array;
  /** the last chunk this thread may still take for itself (below it, the worker has started every one) */
  private back: number;
  private readonly count = (lastCount = { taken: 0, here: 0 });

  constructor(private readonly thread: ThreadBuilder, private readonly clientId: number, private readonly metaKeys: MetaKeys, count: number) {
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, count)));
    this.back = count - 1;
  }

  submit(memories: NewMemory[]): void {
    const index = this.chunks.push(memories) - 1;
    this.thread.post({ job: this.job, index, claims: this.claims, clientId: this.clientId, metaKeys: this.metaKeys, memories });
  }

  take(i: number): BuiltMemory[] {
    this.count.taken++;
    const mine = this.ahead.get(i);
    if (mine) { this.ahead.delete(i); return mine; }
    return this.thread.receive(this.job, i, this.chunks[i]!.length, () => this.help(i)) ?? this.here(i);
  }

  close(): void {
    // an import that threw part-way: the worker skips the chunks it has not started (their
    // memories are never written, and their plaintext updates should not wait on the channel)
    for (let j = 0; j < this.claims.length; j++) Atomics.compareExchange(this.claims, j, FREE, HERE);
    this.ahead.clear();
    this.thread.drop();
  }

  private here(i: number): BuiltMemory[] {
    this.count.here++;
    return buildHere(this.clientId, this.metaKeys, this.chunks[i]!);
  }

  /**
   * While chunk `i` is not back: build it here if the worker has not started it, else build the
   * last chunk nobody has started, kept for when it is taken. False: nothing left to do but wait.
   */
  private help(i: number): BuiltMemory[] | boolean {
    if (Atomics.compareExchange(this.claims, i, FREE, HERE) === FREE) return this.here(i);
    while (this.back > i) {
      const j = this.back--;
      if (Atomics.compareExchange(this.claims, j, FREE, HERE) !== FREE) { this.back = -1; break; } // the worker is there: so every chunk before it is taken
      this.ahead.set(j, this.here(j));
      return true;
    }
    return false;
  }
}

export interface FreshUpdatesBuilder {
  /** a batch of `count` chunks of new memories built with this client id and these metadata keys */
  batch(clientId: number, metaKeys: MetaKeys, count: number): FreshBatch;
}

const here: FreshUpdatesBuilder = { batch: (clientId, metaKeys) => new HereBatch(clientId, metaKeys) };

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

  batch(clientId: number, metaKeys: MetaKeys, count: number): FreshBatch { return new ThreadBatch(this, clientId, metaKeys, count); }

  post(req: BuildRequest): void {
    if (!this.failed) this.port.postMessage(req);
  }

  /**
   * The worker's reply for chunk `index` of `job`, calling `help` while it is not there (its
   * result: the chunk, built by the helper; true: it did something else, look again; false: sleep
   * until the next reply). Null: the worker failed it or is gone, or took too long (then it is
   * stopped): the caller builds it.
   */
  receive(job: number, index: number, count: number, help: () => BuiltMemory[] | boolean): BuiltMemory[] | null {
    let deadline = Date.now() + REPLY_TIMEOUT_MS;
    while (!this.failed) {
      const seen = Atomics.load(this.shared, 0);
      const msg = receiveMessageOnPort(this.port)?.message as BuildReply | undefined;
      if (msg) {
        // a chunk of an import that was abandoned (it threw), or one this thread built itself: dropped
        if (msg.job < job || (msg.job === job && msg.index < index)) continue;
        if (msg.job === job && msg.index === index && 'built' in msg && msg.built.length === count) return msg.built;
        return null; // the worker could not build it (or answers out of order)
      }
      const helped = help();
      if (helped === true) { deadline = Date.now() + REPLY_TIMEOUT_MS; continue; }
      if (helped) return helped;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.shared, 0, seen, left) === 'timed-out') { this.stop(); break; }
    }
    return null;
  }

  /** Drops the replies already on the channel (of the import that is over, or earlier): nobody will take them. */
  drop(): void {
    if (this.failed) return;
    // every reply there is this import's or an earlier one's: imports run one at a time
    while (receiveMessageOnPort(this.port)) { /* dropped */ }
  }

  stop(): void {
    this.failed = true;
    void this.worker.terminate();
  }
}

let thread: ThreadBuilder | null = null;

/**
 * The builder for an import of `count` memories: the worker when it pays and runs, else this
 * thread (`MEMORYOS_IMPORT_THREAD=off` keeps every import here: a comparison, a machine with one core).
 */
export function freshUpdatesBuilder(count: number): FreshUpdatesBuilder {
  if (count < WORKER_FROM || process.env.MEMORYOS_IMPORT_THREAD === 'off') return here;
  if (!thread) {
    const w = workerSource(__dirname, 'fresh-updates-worker');
    if (!w) return here;
    try { thread = new ThreadBuilder(w.source, w.eval); } catch { return here; }
  }
  return thread.ready ? thread : here;
}

/** Whether large imports build on the worker now (it started, said it runs, and has not failed). */
export const importThreadReady = (): boolean => !!thread?.ready;

/** Stops the worker for good in this process: every import runs on this thread from here on (tests). */
export function stopImportThread(): void { thread?.stop(); }
