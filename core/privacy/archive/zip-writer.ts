import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, createDeflateRaw, deflateRaw, deflateRawSync } from 'node:zlib';
import { createEncryptStream } from './encrypted';
import { EntryTable, type FileRecord, type NewEntry as Entry } from './entry-table';
import { centralRecordSize, dataDescriptor, dosDateTime, endRecords, localHeader, METHOD_DEFLATED, METHOD_STORED, unixAttributes, utSeconds, writeCentralRecord } from './zip-format';

export type { FileRecord } from './entry-table';

/**
 * A ZIP written as a stream to one file, in bounded memory (ZIP64 whenever a size, an offset or
 * the entry count needs it). Every entry is hashed with SHA-256 on its way in, so the manifest's
 * {path, size, sha256} come out of the writing itself.
 *
 *   const w = openArchive('/tmp/x.zip');               // or { encrypt: { passphrase } }
 *   await w.addFile('memories/01….json', buffer);        // Buffer | string | Readable
 *   await w.addFile('attachments/a.jpg', readStream, { compress: false });
 *   const { count, bytes } = await w.finish();           // renames x.zip.partial → x.zip
 *   // or: await w.abort()                               // removes the partial file
 *
 * Memory: what is kept per entry is one packed record (entry-table.ts, ~120 bytes for a memory's
 * file), nothing else; the central directory is written from those records in 64 KiB pieces at
 * finish. Bytes in flight are bounded by back-pressure: entries are written one after another, in
 * the order addFile was called, and an addFile resolves once its bytes are handed to the output
 * and the output has room again (about 1 MiB between this writer and the disk, in the file stream). A Readable entry
 * is read at the pace the file accepts.
 *
 * The records are those yazl 3.3.1 wrote for these archives (zip-format.ts): a Buffer or string
 * entry has its CRC and sizes in the local header; a Readable — and a Buffer to be deflated
 * above BUFFER_DEFLATE_MAX — is streamed, its sizes in a data descriptor after it.
 *
 * While writing, the file is `<path>.partial` (mode 0600); finish() fsyncs it and renames it to
 * `path`. On abort() or any failure the partial file is removed.
 */

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
}

export interface FinishedArchive {
  path: string;
  bytes: number;
  /** how many entries the archive holds */
  count: number;
  /** every entry's record, made when read (one object per entry: mind it for large archives) */
  readonly files: FileRecord[];
}

export interface ArchiveWriter {
  /** where the archive will be once finished */
  readonly path: string;
  /** where it is while being written (removed on abort or failure) */
  readonly partialPath: string;
  /** entries so far */
  readonly count: number;
  /** the entries so far, in archive order, made one at a time as they are read (an entry still being streamed has size 0 and sha256 '') */
  records(): IterableIterator<FileRecord>;
  /** the same as a fresh list (one object per entry) */
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

/** a Buffer up to this size is deflated in one call on this thread (microseconds for a memory's file) */
const SYNC_DEFLATE_MAX = 64 * 1024;
/** up to this size on the thread pool, whole; a larger Buffer is streamed through zlib (no deflated copy held) */
const BUFFER_DEFLATE_MAX = 8 * 1024 * 1024;
const STREAM_SLICE = 64 * 1024;
const deflateRawAsync = promisify(deflateRaw);
/** what the file stream buffers before it pushes back: many small entries become few large writes */
const FILE_BUFFER = 1024 * 1024;
const CENTRAL_CHUNK = 64 * 1024;
/** the staging block small pieces are gathered in (see put) */
const STAGE = 256 * 1024;
const FILE_MODE = 0o100600;

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1000) throw new TypeError('an entry name is a non-empty string');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\:*?"<>|]/.test(name) || name.startsWith('/') || name.endsWith('/')) throw new TypeError(`bad entry name: ${JSON.stringify(name)}`);
  if (name.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) throw new TypeError(`bad entry name: ${JSON.stringify(name)}`);
}

function* slices(buf: Buffer): Generator<Buffer> {
  for (let off = 0; off < buf.length; off += STREAM_SLICE) yield buf.subarray(off, Math.min(buf.length, off + STREAM_SLICE));
}

export function openArchive(path: string, options: OpenArchiveOptions = {}): ArchiveWriter {
  return new Writer(path, options);
}

type State = 'open' | 'finishing' | 'finished' | 'failed' | 'aborted';

interface EntryTime { dosTime: number; dosDate: number; mtime: number }

const entryTime = (d: Date): EntryTime => {
  const dos = dosDateTime(d);
  return { dosTime: dos.time, dosDate: dos.date, mtime: utSeconds(d) };
};

class Writer implements ArchiveWriter {
  readonly partialPath: string;
  private readonly table = new EntryTable();
  /**
   * Where the ZIP bytes go, in order: the encryption (which copies what it is handed into its own
   * chunk before it calls back) or the file itself (which calls back once the bytes are written).
   * Either way a block is free again at its write's callback: see `spare`.
   */
  private readonly out: Writable;
  private readonly file: WriteStream;
  private readonly written: Promise<void>;
  private readonly compress: boolean;
  private readonly time: EntryTime;
  private readonly attributes = unixAttributes(FILE_MODE);
  /** bytes written so far (staged or handed to `out`): the offset of the next record */
  private cursor = 0;
  private stage: Buffer = Buffer.allocUnsafeSlow(STAGE);
  private staged = 0;
  /**
   * Staging blocks the output is done with, used again. A fresh block for every 256 KiB (~1,000 in
   * an export of 100k memories) lived through a few young-generation collections while it waited
   * for the disk, so V8 moved it to the old generation, where its memory stayed until a full
   * collection: 40–50 MB of the export's RSS at 100k. The blocks in flight are bounded by the
   * file stream's buffer, so these are a handful.
   */
  private readonly spare: Buffer[] = [];
  /** the adds, one after another in call order */
  private lane: Promise<unknown> = Promise.resolve();
  private streaming: Readable | undefined;
  private state: State = 'open';
  private failure: Error | undefined;
  private committing: Promise<void> | undefined;
  private readonly opened: Promise<void>;
  /** rejects with the failure, once there is one */
  private readonly failed: Promise<never>;
  private rejectFailed!: (e: Error) => void;

  constructor(readonly path: string, options: OpenArchiveOptions) {
    this.partialPath = path + '.partial';
    this.compress = options.compress ?? true;
    this.time = entryTime(options.mtime ?? new Date());
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
    this.out = through ?? this.file;
    this.written = through ? pipeline(through, this.file) : finished(this.file);
    this.written.catch((err: Error) => this.fail(err));
    this.opened.catch((err: Error) => this.fail(err));
  }

  get count(): number {
    return this.table.count;
  }

  records(): IterableIterator<FileRecord> {
    return this.table.records();
  }

  get files(): readonly FileRecord[] {
    return [...this.table.records()];
  }

  private checkOpen(): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new Error(`the archive is ${this.state}`);
  }

  /** waits for `p`, or fails as soon as the archive does */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  /**
   * Hands bytes to the output, waiting while it is full. Small pieces (headers, a memory's file)
   * are copied into a staging block first and handed on a block at a time: the output then holds
   * a few large buffers instead of thousands of small ones, which would live long enough to reach
   * V8's old generation and stay there, with their memory, until the next full collection.
   */
  private async put(b: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.cursor += b.length;
    if (b.length >= STAGE / 4) {
      await this.flush();
      await this.hand(b);
      return;
    }
    if (this.staged + b.length > STAGE) await this.flush();
    b.copy(this.stage, this.staged);
    this.staged += b.length;
  }

  private async flush(): Promise<void> {
    if (this.staged === 0) return;
    const full = this.stage;
    const block = full.subarray(0, this.staged);
    // the output keeps the block it was handed until its write calls back
    this.stage = this.spare.pop() ?? Buffer.allocUnsafeSlow(STAGE);
    this.staged = 0;
    await this.hand(block, () => this.spare.push(full));
  }

  /** `done`: called once the output no longer needs `b` (never when the write failed) */
  private async hand(b: Buffer, done?: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    const more = this.out.write(b, done ? (err?: Error | null) => { if (!err) done(); } : undefined);
    if (!more) await this.guard(new Promise<void>((resolve) => this.out.once('drain', resolve)));
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

  /** runs after every add called before it */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lane.then(work);
    this.lane = run.catch(() => undefined);
    return run;
  }

  addFile(name: string, data: Buffer | Uint8Array | string | Readable, options: AddFileOptions = {}): Promise<FileRecord> {
    return this.settledFailure(() => this.serial(() => this.add(name, data, options)));
  }

  finish(): Promise<FinishedArchive> {
    return this.settledFailure(() => this.end());
  }

  private async add(name: string, data: Buffer | Uint8Array | string | Readable, options: AddFileOptions): Promise<FileRecord> {
    this.checkOpen();
    checkName(name);
    const nameBytes = Buffer.from(name, 'utf8');
    if (this.table.has(nameBytes)) throw new Error(`duplicate entry ${name}`);
    if (typeof data !== 'string' && !(data instanceof Uint8Array) && !(data instanceof Readable)) throw new TypeError('data must be a Buffer, a string or a Readable');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : undefined;
    const compress = options.compress ?? this.compress;
    const time = options.mtime ? entryTime(options.mtime) : this.time;
    const whole = buf !== undefined && (!compress || buf.length <= BUFFER_DEFLATE_MAX);
    // a literal, never `{ ...entry, descriptor }`: on Node 20 an object spread-then-extended ends up
    // in V8's old generation (as measured), garbage that waits for a full collection (two per memory
    // in an export)
    const entry: Entry = {
      name: nameBytes, method: compress ? METHOD_DEFLATED : METHOD_STORED, offset: this.cursor, externalAttributes: this.attributes,
      dosTime: time.dosTime, dosDate: time.dosDate, mtime: time.mtime, descriptor: !whole,
    };
    try {
      if (whole) {
        const stored = !compress ? buf : buf.length <= SYNC_DEFLATE_MAX ? deflateRawSync(buf) : await this.guard(deflateRawAsync(buf));
        const sums = { crc32: crc32(buf), compressedSize: stored.length, uncompressedSize: buf.length, sha256: createHash('sha256').update(buf).digest() };
        const i = this.table.add(entry);
        this.table.complete(i, sums);
        await this.put(localHeader(entry, sums));
        await this.put(stored);
        return this.table.record(i);
      }
      return await this.addStream(entry, buf ? Readable.from(slices(buf)) : (data as Readable), compress);
    } catch (err) {
      // a refused entry (above) leaves the archive as it was; one that failed part-way leaves a broken entry
      await this.fail(err as Error);
      throw err;
    }
  }

  private async addStream(entry: Entry, source: Readable, compress: boolean): Promise<FileRecord> {
    const i = this.table.add(entry);
    await this.put(localHeader(entry, null));
    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    const hash = createHash('sha256');
    const summing = new Transform({
      transform(chunk: Buffer, _enc, cb: TransformCallback) {
        crc = crc32(chunk, crc);
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const sink = new Writable({
      highWaterMark: STREAM_SLICE,
      write: (chunk: Buffer, _enc, cb) => {
        compressedSize += chunk.length;
        this.put(chunk).then(() => cb(), cb);
      },
    });
    this.streaming = source;
    try {
      await this.guard(compress ? pipeline(source, summing, createDeflateRaw(), sink) : pipeline(source, summing, sink));
    } finally {
      this.streaming = undefined;
    }
    const sums = { crc32: crc, compressedSize, uncompressedSize: size, sha256: hash.digest() };
    this.table.complete(i, sums);
    await this.put(dataDescriptor({ crc32: sums.crc32, compressedSize: sums.compressedSize, uncompressedSize: sums.uncompressedSize, offset: entry.offset }));
    return this.table.record(i);
  }

  /** the central directory from the packed records, a chunk at a time, then the end records */
  private async writeCentralDirectory(): Promise<void> {
    const start = this.cursor;
    let chunk = Buffer.allocUnsafe(CENTRAL_CHUNK);
    let used = 0;
    for (let i = 0; i < this.table.count; i++) {
      const e = this.table.central(i);
      const size = centralRecordSize(e);
      if (used + size > chunk.length) {
        await this.put(chunk.subarray(0, used));
        chunk = Buffer.allocUnsafe(Math.max(CENTRAL_CHUNK, size)); // the output holds on to the last one
        used = 0;
      }
      used = writeCentralRecord(chunk, used, e);
    }
    if (used) await this.put(chunk.subarray(0, used));
    await this.put(endRecords(this.table.count, start, this.cursor - start));
    await this.flush();
  }

  private async end(): Promise<FinishedArchive> {
    this.checkOpen();
    this.state = 'finishing';
    try {
      await this.guard(this.opened);
      await this.guard(this.lane);
      if (this.failure) throw this.failure;
      await this.writeCentralDirectory();
      this.out.end();
      await this.guard(this.written);
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
      const table = this.table;
      return { path: this.path, bytes: size, count: table.count, get files() { return [...table.records()]; } };
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
    this.streaming?.destroy();
    this.teardownDone = (async () => {
      if (!this.file.closed) {
        await new Promise<void>((resolve) => {
          this.file.once('close', () => resolve());
          this.file.destroy();
        });
      }
      this.out.destroy();
      await rm(this.partialPath, { force: true });
    })();
    return this.teardownDone;
  }
}
