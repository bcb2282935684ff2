import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fromRandomAccessReaderPromise, openPromise, RandomAccessReader, type Entry, type ZipFile } from 'yauzl';
import { b64, fromB64, initCrypto } from '../../crypto/sodium';
import { EncryptedArchiveError, isEncryptedArchive, openDecrypted } from './encrypted';
import { MANIFEST_PATH, ManifestError, parseManifest, SIGNATURE_PATH, verifyManifest, type Manifest } from './manifest';

/**
 * verifyExport(path, opts): the logic of `memoryos verify-export FILE`.
 *
 * Reads the archive once, streaming (yauzl), hashing every entry; then checks, in this order, and
 * names the first problem:
 *   1. the archive opens (decrypting it first when it is the encrypted form and a passphrase is given);
 *   2. manifest.json and manifest.sig are there, manifest.json has the export's shape;
 *   3. the manifest's signing key is the expected one, when the caller passes one (from device.list);
 *   4. manifest.sig is a valid Ed25519 signature over the exact bytes of manifest.json by that key;
 *   5. in archive order: every entry is listed, once, with the listed size and SHA-256;
 *   6. in manifest order: every listed file is in the archive.
 * Nothing is extracted; no plaintext of an encrypted archive is written to disk (it is decrypted
 * as a stream, up to three times: to authenticate it and find the central directory, to read
 * the central directory when it is larger than the 16 MiB kept from the first pass, and to read
 * the entries).
 */

export type BadReason =
  | 'not_found' | 'not_a_zip' | 'passphrase_required' | 'wrong_passphrase' | 'corrupt'
  | 'missing' | 'unlisted' | 'duplicate' | 'size_mismatch' | 'sha256_mismatch'
  | 'manifest_invalid' | 'wrong_key' | 'bad_signature' | 'too_large';

export interface VerifyOptions {
  /** entries read so far of the archive's entries (every 256, and at the end): a job's progress */
  onProgress?: (done: number, total: number) => void;
  /** asked between entries: true stops the check (it then throws VerifyCancelled) */
  cancelled?: () => boolean;
  /** the key the signature must be by (base64 or bytes), e.g. the device's key from device.list */
  publicKey?: string | Uint8Array;
  /** for the encrypted form */
  passphrase?: string;
  /** refuse a manifest.json larger than this (default 512 MiB) */
  maxManifestBytes?: number;
  /** encrypted form: how much of the end of the archive the first pass keeps (default 16 MiB,
   * at least 128 KiB); a central directory larger than that costs one more decrypting pass */
  tailBytes?: number;
}

export type VerifyResult =
  | {
    valid: true;
    /** files listed in the manifest (manifest.json and manifest.sig not counted) */
    files: number;
    encrypted: boolean;
    subject: Manifest['subject'];
    signing_device: Manifest['signing_device'];
    generated_at: string;
  }
  | { valid: false; first_bad: { path: string; reason: BadReason; detail?: string } };

type Bad = Extract<VerifyResult, { valid: false }>;
const bad = (path: string, reason: BadReason, detail?: string): Bad => ({ valid: false, first_bad: detail ? { path, reason, detail } : { path, reason } });

class BadArchive extends Error {
  constructor(readonly result: Bad) {
    super(`${result.first_bad.path}: ${result.first_bad.reason}`);
  }
}

export class VerifyCancelled extends Error { constructor() { super('the check was cancelled'); this.name = 'VerifyCancelled'; } }

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!;

export async function verifyExport(path: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  await initCrypto();
  try {
    if (!(await stat(path)).isFile()) return bad(path, 'not_found', 'not a file');
  } catch {
    return bad(path, 'not_found');
  }
  const encrypted = await isEncryptedArchive(path);
  let zip: ZipFile;
  if (encrypted) {
    if (!opts.passphrase) return bad(path, 'passphrase_required', 'the archive is encrypted');
    try {
      const reader = await EncryptedZipReader.open(path, opts.passphrase, Math.max(MIN_TAIL, opts.tailBytes ?? TAIL_KEEP));
      zip = await fromRandomAccessReaderPromise(reader, reader.size, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
    } catch (err) {
      if (err instanceof BadArchive) return err.result;
      if (err instanceof EncryptedArchiveError) {
        if (err.code === 'WRONG_PASSPHRASE') return bad(path, 'wrong_passphrase', err.message);
        if (err.code === 'CORRUPT' || err.code === 'TRUNCATED') return bad(path, 'corrupt', err.message);
      }
      return bad(path, 'not_a_zip', firstLine(err));
    }
  } else {
    try {
      zip = await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
    } catch (err) {
      return bad(path, 'not_a_zip', firstLine(err));
    }
  }
  try {
    return await check(zip, encrypted, opts);
  } catch (err) {
    if (err instanceof BadArchive) return err.result;
    if (err instanceof VerifyCancelled) throw err;
    if (err instanceof EncryptedArchiveError) return bad(path, 'corrupt', err.message);
    return bad(path, 'corrupt', firstLine(err));
  } finally {
    zip.close();
  }
}

async function readAll(stream: Readable, max: number, name: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) {
      stream.destroy();
      throw new BadArchive(bad(name, 'too_large'));
    }
    parts.push(c);
  }
  return Buffer.concat(parts);
}

async function hashAll(stream: Readable): Promise<{ size: number; sha256: string }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    h.update(c);
    size += c.length;
  }
  return { size, sha256: h.digest('hex') };
}

async function check(zip: ZipFile, encrypted: boolean, opts: VerifyOptions): Promise<VerifyResult> {
  const maxManifest = opts.maxManifestBytes ?? 512 * 1024 * 1024;
  const found = new Map<string, { size: number; sha256: string }>();
  const order: { name: string; duplicate: boolean }[] = [];
  let manifestBytes: Buffer | undefined;
  let sigText: string | undefined;

  let seen = 0;
  for await (const entry of zip.eachEntry() as AsyncIterable<Entry>) {
    if (++seen % 256 === 0) {
      if (opts.cancelled?.()) throw new VerifyCancelled();
      opts.onProgress?.(seen, zip.entryCount);
    }
    const name = entry.fileName;
    const dup = found.has(name) || (name === MANIFEST_PATH && manifestBytes !== undefined) || (name === SIGNATURE_PATH && sigText !== undefined);
    if (dup) {
      order.push({ name, duplicate: true });
      continue;
    }
    const open = async (): Promise<Readable> => {
      try {
        return await zip.openReadStreamPromise(entry);
      } catch (err) {
        throw new BadArchive(bad(name, 'corrupt', firstLine(err)));
      }
    };
    const guard = async <T>(p: Promise<T>): Promise<T> => {
      try {
        return await p;
      } catch (err) {
        if (err instanceof BadArchive) throw err;
        throw new BadArchive(bad(name, 'corrupt', firstLine(err)));
      }
    };
    if (name === MANIFEST_PATH) {
      if (entry.uncompressedSize > maxManifest) throw new BadArchive(bad(name, 'too_large'));
      manifestBytes = await guard(readAll(await open(), maxManifest, name));
    } else if (name === SIGNATURE_PATH) {
      if (entry.uncompressedSize > 4096) throw new BadArchive(bad(name, 'too_large'));
      sigText = (await guard(readAll(await open(), 4096, name))).toString('latin1');
    } else if (name.endsWith('/')) {
      // a directory entry: never written by the export, so never listed
      found.set(name, { size: -1, sha256: '' });
      order.push({ name, duplicate: false });
    } else {
      found.set(name, await guard(hashAll(await open())));
      order.push({ name, duplicate: false });
    }
  }

  opts.onProgress?.(seen, zip.entryCount);
  if (!manifestBytes) return bad(MANIFEST_PATH, 'missing');
  if (sigText === undefined) return bad(SIGNATURE_PATH, 'missing');
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestBytes);
  } catch (err) {
    if (err instanceof ManifestError) return bad(MANIFEST_PATH, 'manifest_invalid', err.message);
    throw err;
  }
  const key = manifest.signing_device.public_key;
  if (opts.publicKey !== undefined) {
    const expected = typeof opts.publicKey === 'string' ? b64(fromB64(opts.publicKey)) : b64(opts.publicKey);
    if (expected !== key) return bad(SIGNATURE_PATH, 'wrong_key', `signed by ${key}, expected ${expected}`);
  }
  if (!verifyManifest(manifestBytes, sigText, key)) return bad(SIGNATURE_PATH, 'bad_signature', 'manifest.sig is not a valid signature over manifest.json by the signing device key');

  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const { name, duplicate } of order) {
    if (duplicate) return bad(name, 'duplicate', 'the archive holds this path more than once');
    const want = listed.get(name);
    if (!want) return bad(name, 'unlisted', 'in the archive but not in manifest.json');
    const got = found.get(name)!;
    if (got.size !== want.size) return bad(name, 'size_mismatch', `listed ${want.size} bytes, found ${got.size}`);
    if (got.sha256 !== want.sha256) return bad(name, 'sha256_mismatch', `listed ${want.sha256}, found ${got.sha256}`);
  }
  for (const f of manifest.files) if (!found.has(f.path)) return bad(f.path, 'missing', 'listed in manifest.json but not in the archive');

  return { valid: true, files: manifest.files.length, encrypted, subject: manifest.subject, signing_device: manifest.signing_device, generated_at: manifest.generated_at };
}

// ---- the encrypted form as a yauzl RandomAccessReader ---------------------------------------

export const TAIL_KEEP = 16 * 1024 * 1024;
/** the end-of-central-directory records, a comment of up to 64 KiB and the ZIP64 records fit in this */
const MIN_TAIL = 128 * 1024;
const MAX_CENTRAL_DIRECTORY = 512 * 1024 * 1024;

/** Where the central directory starts, from the end-of-central-directory records in `tail`. */
function centralDirectoryStart(tail: Buffer, tailStart: number): number {
  const min = Math.max(0, tail.length - (22 + 0xffff));
  for (let i = tail.length - 22; i >= min; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50) continue;
    if (i + 22 + tail.readUInt16LE(i + 20) !== tail.length) continue;
    const offset = tail.readUInt32LE(i + 16);
    const entries = tail.readUInt16LE(i + 10);
    if (offset !== 0xffffffff && entries !== 0xffff) return offset;
    const loc = i - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) break;
    const rec = Number(tail.readBigUInt64LE(loc + 8)) - tailStart;
    if (rec < 0 || rec + 56 > tail.length || tail.readUInt32LE(rec) !== 0x06064b50) break;
    return Number(tail.readBigUInt64LE(rec + 48));
  }
  throw new Error('end of central directory record not found');
}

/**
 * Serves yauzl's reads from the decrypted stream: the end of the archive (at least the central
 * directory and what follows it) from memory, everything before it from one forward-only
 * decrypting pass. Reads before the part in memory must come in increasing order — as they do
 * when the entries are read one after the other.
 */
export class EncryptedZipReader extends RandomAccessReader {
  private forward: AsyncIterator<Buffer> | undefined;
  private cur: Buffer = Buffer.alloc(0);
  private curOff = 0;
  private pos = 0;

  private constructor(private readonly path: string, private readonly passphrase: string, readonly size: number, private readonly memStart: number, private readonly mem: Buffer) {
    super();
  }

  static async open(path: string, passphrase: string, tailKeep: number): Promise<EncryptedZipReader> {
    // pass 1: authenticate everything, learn the size, keep the tail
    let total = 0;
    const ring: Buffer[] = [];
    let ringBytes = 0;
    for await (const chunk of openDecrypted(path, passphrase) as AsyncIterable<Buffer>) {
      total += chunk.length;
      ring.push(chunk);
      ringBytes += chunk.length;
      while (ring.length > 1 && ringBytes - ring[0]!.length >= tailKeep) ringBytes -= ring.shift()!.length;
    }
    const tail = Buffer.concat(ring);
    const tailStart = total - tail.length;
    const cdStart = centralDirectoryStart(tail, tailStart);
    if (cdStart > total) throw new Error('central directory offset beyond the end of the archive');
    if (cdStart >= tailStart) return new EncryptedZipReader(path, passphrase, total, tailStart, tail);
    if (total - cdStart > MAX_CENTRAL_DIRECTORY) throw new BadArchive(bad(path, 'too_large', 'central directory too large'));
    // pass 2: a central directory larger than the tail kept
    const cd = Buffer.alloc(total - cdStart);
    let pos = 0;
    for await (const chunk of openDecrypted(path, passphrase) as AsyncIterable<Buffer>) {
      const from = Math.max(0, cdStart - pos);
      if (from < chunk.length) chunk.copy(cd, pos + from - cdStart, from);
      pos += chunk.length;
    }
    return new EncryptedZipReader(path, passphrase, total, cdStart, cd);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (start >= this.memStart) return Readable.from([this.mem.subarray(start - this.memStart, end - this.memStart)]);
    return Readable.from(this.take(start, end));
  }

  private async *take(start: number, end: number): AsyncGenerator<Buffer> {
    if (start < this.pos) throw new Error(`out-of-order read at ${start} (the stream is at ${this.pos})`);
    this.forward ??= (openDecrypted(this.path, this.passphrase) as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    while (this.pos < end) {
      if (this.curOff >= this.cur.length) {
        const next = await this.forward.next();
        if (next.done) throw new Error('unexpected end of the decrypted archive');
        this.cur = next.value;
        this.curOff = 0;
      }
      const avail = this.cur.length - this.curOff;
      if (this.pos < start) {
        const skip = Math.min(avail, start - this.pos);
        this.curOff += skip;
        this.pos += skip;
        continue;
      }
      const n = Math.min(avail, end - this.pos);
      const piece = this.cur.subarray(this.curOff, this.curOff + n);
      this.curOff += n;
      this.pos += n;
      yield piece;
    }
  }

  override close(callback: (err: Error | null) => void): void {
    const it = this.forward;
    this.forward = undefined;
    void it?.return?.(undefined);
    setImmediate(() => callback(null));
  }
}
