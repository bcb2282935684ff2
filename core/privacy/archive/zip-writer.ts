import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream';
import { ZipFile } from 'yazl';
import { createEncryptStream } from './encrypted';

/**
 * A ZIP written as a stream to one file, in bounded memory, with yazl (ZIP64 whenever a size or
 * offset needs it). Every entry is hashed with SHA-256 on its way in, so the manifest's
 * {path, size, sha256} come out of the writing itself.
 *
 *   const w = openArchive('/tmp/x.zip');               // or { encrypt: { passphrase } }
 *   await w.addFile('memories/01….json', buffer);        // Buffer | string | Readable
 *   await w.addFile('attachments/a.jpg', readStream, { compress: false });
 *   const { files, bytes } = await w.finish();           // renames x.zip.partial → x.zip
 *   // or: await w.abort()                               // removes the partial file
 *
 * Back-pressure: a Buffer or string entry is queued and handed to yazl at once (its deflate runs
 * on the thread pool); addFile resolves when fewer than `maxQueuedEntries` entries and
 * `maxQueuedBytes` bytes are waiting to be written, so a caller that awaits each addFile never
 * holds more than that. A Readable entry resolves when yazl has read it to the end; it is read
 * only when yazl reaches it, at the pace the file accepts (pipe()).
 *
 * While writing, the file is `<path>.partial` (mode 0600); finish() fsyncs it and renames it to
 * `path`. On abort() or any failure the partial file is removed.
 *
 * Two workarounds for yazl 3.3.1 with many entries, both in `YazlQueue` below:
 *  - pumpEntries() rescans the entry list from its start on every pump, O(n²) in the number of
 *    entries (thejoshwolfe/yazl#91, open): 200k entries take minutes. We move the finished
 *    entries out of that list while writing and put them back before end() writes the central
 *    directory;
 *  - a finished entry keeps what pins its data: addBuffer's pump closure holds the compressed
 *    buffer, and the entry's name is a slice of Node's shared 8 KiB buffer pool, which keeps the
 *    whole slab (and so the small entries' data allocated next to it) alive: ~1.4 KB per entry,
 *    ~300 MB at 200k. We drop the closure and copy the name into a buffer of our own.
 * Both read yazl internals (`entries`, `state`, `doFileDataPump`, `utf8FileName`), so the writer refuses a yazl
 * version it has not been checked against (YAZL_CHECKED): re-read yazl's pumpEntries before
 * adding one.
 */

export interface FileRecord { path: string; size: number; sha256: string }

export interface AddFileOptions {
  /** deflate the entry (default: the archive's `compress`, itself true) */
  compress?: boolean;
  /** the entry's modification time (default: the archive's mtime) */
  mtime?: Date;
}

export interface OpenArchiveOptions {
  /** write the encrypted form (see encrypted.ts); initCrypto() must have run */
  encrypt?: { passphrase: string };
  /** default for entries (true) */
  compress?: boolean;
  /** modification time of every entry (default: when the archive was opened) */
  mtime?: Date;
  /** replace `path` if it exists (default: refuse, before anything is written) */
  overwrite?: boolean;
  /** bound on entries handed to yazl and not yet written (default 16) */
  maxQueuedEntries?: number;
  /** bound on bytes of Buffer/string entries handed to yazl and not yet in the file (default 8 MiB) */
  maxQueuedBytes?: number;
}

export interface FinishedArchive { path: string; files: FileRecord[]; bytes: number }

export interface ArchiveWriter {
  /** where the archive will be once finished */
  readonly path: string;
  /** where it is while being written (removed on abort or failure) */
  readonly partialPath: string;
  /** the entries so far, in archive order, as a fresh list (an entry still being streamed has size 0 and sha256 '') */
  readonly files: readonly FileRecord[];
  addFile(name: string, data: Buffer | Uint8Array | string | Readable, options?: AddFileOptions): Promise<FileRecord>;
  finish(): Promise<FinishedArchive>;
  /** stops, removes the partial file; false when the archive was already finished (or was being renamed into place) */
  abort(reason?: Error): Promise<boolean>;
}

export class ArchiveAbortedError extends Error {
  constructor(message = 'the archive was aborted') {
    super(message);
    this.name = 'ArchiveAbortedError';
  }
}

export const YAZL_CHECKED = ['3.3.1'];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const YAZL_VERSION: string = (require('yazl/package.json') as { version: string }).version;
/** yazl's Entry.FILE_DATA_DONE */
const ENTRY_DONE = 3;
/** a Buffer above this goes through the stream path (yazl's addBuffer keeps a deflated copy) */
const BUFFER_ENTRY_MAX = 8 * 1024 * 1024;
const STREAM_SLICE = 64 * 1024;
/** what the file stream buffers before it pushes back: many small entries become few large writes */
const FILE_BUFFER = 1024 * 1024;
const FILE_MODE = 0o100600;

interface YazlEntry { state: number; doFileDataPump?: unknown; utf8FileName: Buffer }

/** Small buffers packed into large ones of their own (never Node's shared 8 KiB pool). */
class Arena {
  private block = Buffer.alloc(0);
  private used = 0;
  copy(b: Buffer): Buffer {
    if (b.length > 4096) return Buffer.from(b);
    if (this.used + b.length > this.block.length) {
      this.block = Buffer.allocUnsafeSlow(64 * 1024);
      this.used = 0;
    }
    const out = this.block.subarray(this.used, this.used + b.length);
    b.copy(out);
    this.used += b.length;
    return out;
  }
}

/** The yazl internals this file relies on, in one place. */
class YazlQueue {
  private readonly zip: { entries: YazlEntry[] };
  private readonly retired: YazlEntry[] = [];
  private readonly names = new Arena();
  private readonly tracked: { entry: YazlEntry; bytes: number }[] = [];
  private head = 0;
  queuedBytes = 0;

  constructor(zip: ZipFile) {
    const z = zip as unknown as { entries?: unknown };
    if (!YAZL_CHECKED.includes(YAZL_VERSION) || !Array.isArray(z.entries)) {
      throw new Error(`yazl ${YAZL_VERSION} is not a version zip-writer.ts was checked against (${YAZL_CHECKED.join(', ')}): re-read its pumpEntries()`);
    }
    this.zip = z as { entries: YazlEntry[] };
  }

  /** the entry yazl created for the add just made */
  track(bytes: number): void {
    const entry = this.zip.entries[this.zip.entries.length - 1];
    if (!entry || typeof entry.state !== 'number') throw new Error('yazl entry not found after add');
    this.tracked.push({ entry, bytes });
    this.queuedBytes += bytes;
  }

  get queuedEntries(): number {
    return this.tracked.length - this.head;
  }

  /** notes the entries yazl has finished and moves them out of its pump list */
  settle(): void {
    const before = this.head;
    while (this.head < this.tracked.length && this.tracked[this.head]!.entry.state >= ENTRY_DONE) {
      this.queuedBytes -= this.tracked[this.head]!.bytes;
      this.head++;
    }
    const finished = this.head - before;
    if (finished === 0) return;
    // yazl pumps entries in order, so the finished ones are the head of its list
    const entries = this.zip.entries;
    let k = 0;
    while (k < entries.length && entries[k]!.state >= ENTRY_DONE) k++;
    if (k >= 64 || k === entries.length) {
      for (const e of entries.splice(0, k)) {
        e.doFileDataPump = undefined;
        // a slice of Node's 8 KiB buffer pool, which it keeps alive with whatever else was
        // allocated there (our entries' data, typically): a copy of its own frees the slab
        e.utf8FileName = this.names.copy(e.utf8FileName);
        this.retired.push(e);
      }
    }
    if (this.head > 4096) {
      this.tracked.splice(0, this.head);
      this.head = 0;
    }
  }

  /** before end(): the central directory is written from the whole list */
  restore(): void {
    this.zip.entries = this.retired.concat(this.zip.entries);
    this.retired.length = 0;
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1000) throw new TypeError('an entry name is a non-empty string');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\:*?"<>|]/.test(name) || name.startsWith('/') || name.endsWith('/')) throw new TypeError(`bad entry name: ${JSON.stringify(name)}`);
  if (name.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) throw new TypeError(`bad entry name: ${JSON.stringify(name)}`);
}

/**
 * The entry's bytes in an allocation of their own. A small Buffer.from() is a slice of Node's
 * shared 8 KiB pool, and yazl keeps the entry's buffer until it has been written: a queue of
 * small entries would pin a slab each (8 KiB per ~1 KiB entry) beyond the byte bound.
 */
function ownBuffer(data: string | Uint8Array): Buffer {
  if (typeof data === 'string') {
    const n = Buffer.byteLength(data, 'utf8');
    if (n > BUFFER_ENTRY_MAX) return Buffer.from(data, 'utf8');
    const b = Buffer.allocUnsafeSlow(n);
    b.write(data, 0, 'utf8');
    return b;
  }
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (view.length > BUFFER_ENTRY_MAX || data.buffer.byteLength <= 2 * data.byteLength) return view;
  const b = Buffer.allocUnsafeSlow(view.length);
  view.copy(b);
  return b;
}

function* slices(buf: Buffer): Generator<Buffer> {
  for (let off = 0; off < buf.length; off += STREAM_SLICE) yield buf.subarray(off, Math.min(buf.length, off + STREAM_SLICE));
}

/**
 * {path, size, sha256} of every entry, kept compactly — a path string, a size and 32 digest bytes
 * packed into shared blocks — since it grows with the number of entries (200k for 100k memories).
 */
class Records {
  private readonly paths: string[] = [];
  private readonly sizes: number[] = [];
  private readonly blocks: Buffer[] = [];
  private readonly set = new Set<string>();
  private static readonly PER_BLOCK = 2048;

  has(path: string): boolean {
    return this.set.has(path);
  }

  /** a new entry, its size and digest unknown yet */
  add(path: string): number {
    this.set.add(path);
    this.sizes.push(-1);
    return this.paths.push(path) - 1;
  }

  complete(i: number, size: number, digest: Buffer): FileRecord {
    const b = Math.floor(i / Records.PER_BLOCK);
    while (this.blocks.length <= b) this.blocks.push(Buffer.allocUnsafeSlow(32 * Records.PER_BLOCK));
    digest.copy(this.blocks[b]!, (i % Records.PER_BLOCK) * 32);
    this.sizes[i] = size;
    return this.get(i);
  }

  get(i: number): FileRecord {
    const size = this.sizes[i]!;
    if (size < 0) return { path: this.paths[i]!, size: 0, sha256: '' };
    const off = (i % Records.PER_BLOCK) * 32;
    return { path: this.paths[i]!, size, sha256: this.blocks[Math.floor(i / Records.PER_BLOCK)]!.toString('hex', off, off + 32) };
  }

  all(): FileRecord[] {
    return this.paths.map((_p, i) => this.get(i));
  }
}

/** Passes bytes through, counting and hashing them. */
class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly onDone: (size: number, digest: Buffer) => void) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    this.onDone(this.size, this.hash.digest());
    cb();
  }
}

export function openArchive(path: string, options: OpenArchiveOptions = {}): ArchiveWriter {
  return new Writer(path, options);
}

type State = 'open' | 'finishing' | 'finished' | 'failed' | 'aborted';

class Writer implements ArchiveWriter {
  readonly partialPath: string;
  private readonly records = new Records();
  private readonly zip = new ZipFile();
  private readonly queue: YazlQueue;
  private readonly file: WriteStream;
  private readonly written: Promise<void>;
  private readonly compress: boolean;
  private readonly mtime: Date;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private state: State = 'open';
  private failure: Error | undefined;
  private waiters: { resolve: () => void; reject: (e: Error) => void; test: () => boolean }[] = [];
  private readonly streamsInFlight = new Set<{ source: Readable; promise: Promise<unknown> }>();
  private settleScheduled = false;
  private committing: Promise<void> | undefined;
  private readonly opened: Promise<void>;
  /** rejects with the failure, once there is one */
  private readonly failed: Promise<never>;
  private rejectFailed!: (e: Error) => void;

  constructor(readonly path: string, options: OpenArchiveOptions) {
    this.partialPath = path + '.partial';
    this.compress = options.compress ?? true;
    this.mtime = options.mtime ?? new Date();
    this.maxEntries = options.maxQueuedEntries ?? 16;
    this.maxBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
    this.queue = new YazlQueue(this.zip);
    this.failed = new Promise<never>((_resolve, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    const through = options.encrypt ? createEncryptStream({ passphrase: options.encrypt.passphrase }) : undefined;

    // refuse to clobber before anything is written; a stale partial file of ours is replaced
    this.opened = (async () => {
      if (!options.overwrite) {
        const exists = await stat(path).then(() => true, () => false);
        if (exists) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
      }
    })();
    this.file = createWriteStream(this.partialPath, { flags: 'w', mode: 0o600, highWaterMark: FILE_BUFFER });
    const tap = new Transform({
      highWaterMark: FILE_BUFFER,
      transform: (chunk: Buffer, _enc, cb: TransformCallback) => {
        this.settleSoon();
        cb(null, chunk);
      },
    });
    const stages: NodeJS.ReadWriteStream[] = through ? [tap, through] : [tap];
    this.written = new Promise<void>((resolve, reject) => {
      const streams: (NodeJS.ReadableStream | NodeJS.ReadWriteStream | NodeJS.WritableStream)[] = [this.zip.outputStream, ...stages, this.file];
      pipeline(streams, (err: NodeJS.ErrnoException | null) => {
        if (err) reject(err);
        else resolve();
      });
    });
    this.written.catch((err: Error) => this.fail(err));
    this.zip.on('error', (err: Error) => this.fail(err));
    this.opened.catch((err: Error) => this.fail(err));
  }

  get files(): readonly FileRecord[] {
    return this.records.all();
  }

  private settleSoon(): void {
    this.settle();
    // yazl marks an entry finished just after its last bytes are written: look again once that has run
    if (!this.settleScheduled) {
      this.settleScheduled = true;
      setImmediate(() => {
        this.settleScheduled = false;
        this.settle();
      });
    }
  }

  private settle(): void {
    this.queue.settle();
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.test() ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  private until(test: () => boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject, test }));
  }

  // yazl writes a finished buffer entry into its output stream without waiting for it to drain, so
  // what it has written but the file has not taken yet counts too
  private roomInQueue = (): boolean =>
    this.queue.queuedEntries < this.maxEntries && this.queue.queuedBytes + (this.zip.outputStream as unknown as { writableLength: number }).writableLength <= this.maxBytes;

  private checkOpen(): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new Error(`the archive is ${this.state}`);
  }

  /** a failure reaches the caller once the partial file is gone */
  private async settledFailure<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (this.teardownDone) await this.teardownDone;
      throw err;
    }
  }

  addFile(name: string, data: Buffer | Uint8Array | string | Readable, options: AddFileOptions = {}): Promise<FileRecord> {
    return this.settledFailure(() => this.add(name, data, options));
  }

  finish(): Promise<FinishedArchive> {
    return this.settledFailure(() => this.end());
  }

  private async add(name: string, data: Buffer | Uint8Array | string | Readable, options: AddFileOptions): Promise<FileRecord> {
    this.checkOpen();
    checkName(name);
    if (this.records.has(name)) throw new Error(`duplicate entry ${name}`);
    const opts = { compress: options.compress ?? this.compress, mtime: options.mtime ?? this.mtime, mode: FILE_MODE };
    let buf: Buffer | undefined;
    if (typeof data === 'string') buf = ownBuffer(data);
    else if (data instanceof Uint8Array) buf = ownBuffer(data);
    else if (!(data instanceof Readable)) throw new TypeError('data must be a Buffer, a string or a Readable');
    const index = this.records.add(name);

    if (buf && buf.length <= BUFFER_ENTRY_MAX) {
      const record = this.records.complete(index, buf.length, createHash('sha256').update(buf).digest());
      this.zip.addBuffer(buf, name, opts);
      this.queue.track(buf.length);
      await this.until(this.roomInQueue);
      return record;
    }

    const source = buf ? Readable.from(slices(buf)) : (data as Readable);
    let record: FileRecord | undefined;
    let settled!: { resolve: () => void; reject: (e: Error) => void };
    const consumed = new Promise<void>((resolve, reject) => (settled = { resolve, reject }));
    const inFlight = { source, promise: consumed };
    this.streamsInFlight.add(inFlight);
    const onSourceError = (err: Error): void => {
      settled.reject(err);
      this.fail(err);
    };
    source.on('error', onSourceError);
    let src: Readable | undefined = source;
    this.zip.addReadStreamLazy(name, opts, (cb) => {
      const s = src!;
      src = undefined; // the pump closure outlives the entry: let it hold nothing
      const hasher = new HashingStream((size, digest) => {
        record = this.records.complete(index, size, digest);
        settled.resolve();
      });
      s.pipe(hasher);
      cb(null, hasher);
    });
    this.queue.track(0);
    try {
      await Promise.race([consumed, this.failed]);
    } finally {
      this.streamsInFlight.delete(inFlight);
      source.off('error', onSourceError);
    }
    return record!;
  }

  private async end(): Promise<FinishedArchive> {
    this.checkOpen();
    this.state = 'finishing';
    try {
      await this.opened;
      await Promise.all([...this.streamsInFlight].map((s) => s.promise));
      await this.until(() => this.queue.queuedEntries === 0);
      this.queue.restore();
      this.zip.end();
      await this.written;
      if (this.failure) throw this.failure;
      const fh = await open(this.partialPath, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (this.state !== 'finishing') throw this.failure ?? new ArchiveAbortedError();
      // from here on the archive is complete: an abort() now waits for the rename and answers false
      this.committing = rename(this.partialPath, this.path).then(() => {
        this.state = 'finished';
      });
      await this.committing;
      const { size } = await stat(this.path);
      return { path: this.path, files: this.records.all(), bytes: size };
    } catch (err) {
      await this.fail(err as Error);
      throw this.failure ?? err;
    }
  }

  async abort(reason?: Error): Promise<boolean> {
    if (this.committing) await this.committing.catch(() => undefined);
    if (this.state === 'finished') return false;
    if (this.state === 'aborted') return true;
    this.state = 'aborted';
    await this.teardown(reason ?? new ArchiveAbortedError());
    return true;
  }

  private async fail(err: Error): Promise<void> {
    if (this.state === 'finished' || this.state === 'aborted') return;
    this.state = 'failed';
    await this.teardown(err);
  }

  private teardownDone: Promise<void> | undefined;

  private teardown(err: Error): Promise<void> {
    if (this.teardownDone) return this.teardownDone;
    this.failure ??= err;
    this.rejectFailed(this.failure);
    for (const w of this.waiters) w.reject(this.failure);
    this.waiters = [];
    for (const s of this.streamsInFlight) s.source.destroy();
    this.teardownDone = (async () => {
      if (!this.file.closed) {
        await new Promise<void>((resolve) => {
          this.file.once('close', () => resolve());
          this.file.destroy();
        });
      }
      this.zip.outputStream.unpipe();
      await rm(this.partialPath, { force: true });
    })();
    return this.teardownDone;
  }
}
