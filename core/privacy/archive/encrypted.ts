import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { initCrypto, newKdfParams, passphraseKey, wipe, type KdfParams } from '../../crypto/sodium';
import { SECRETSTREAM_ABYTES, SECRETSTREAM_HEADERBYTES, secretstreamOpener, secretstreamSealer, type Opener, type Sealer } from '../../crypto/secretstream';

/**
 * The encrypted form of an export archive: the same ZIP bytes, sealed as they stream out.
 *
 *   header (64 bytes, all of it the associated data of the first chunk, so no field can be changed):
 *     0  magic        8  89 4D 4F 53 58 0D 0A 1A  ("\x89MOSX\r\n\x1a": a high bit, CR LF and ^Z
 *                                                  catch 7-bit, line-ending and text-mode damage)
 *     8  version      1  1
 *     9  kdf          1  2 = Argon2id v1.3 (crypto_pwhash_ALG_ARGON2ID13)
 *    10  reserved     2  0
 *    12  opslimit     4  u32 LE   (crypto_pwhash_OPSLIMIT_INTERACTIVE, as the vault)
 *    16  memlimit     4  u32 LE   bytes (crypto_pwhash_MEMLIMIT_INTERACTIVE, 64 MiB)
 *    20  chunk size   4  u32 LE   plaintext bytes per chunk
 *    24  salt        16
 *    40  secretstream header 24
 *   then chunks: crypto_secretstream_xchacha20poly1305, each `chunk size` plaintext bytes sealed
 *   (+17 bytes), the last one shorter (possibly empty) and tagged FINAL. There is no length prefix:
 *   every chunk but the last has the same size, so a reader knows where each ends; a file that
 *   stops before a FINAL chunk is truncated, a byte after it is refused.
 *
 * Chunk size, 64 KiB: the stream's memory is one chunk on each side, and a reader must hold a whole
 * chunk before it can authenticate it, so the unit should be small; each chunk also costs one call
 * into libsodium and 17 bytes, so it should not be tiny. 64 KiB puts
 * the overhead at 0.03 % and the call cost out of sight (≈400 MB/s here), and it is the unit Node's
 * file streams read and write, so one read is one chunk.
 */
export const ENCRYPTED_MAGIC = Buffer.from([0x89, 0x4d, 0x4f, 0x53, 0x58, 0x0d, 0x0a, 0x1a]);
export const ENCRYPTED_FORMAT_VERSION = 1;
export const ENCRYPTED_HEADER_BYTES = 64;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const KDF_ARGON2ID13 = 2;
// what a reader accepts from a header it has not authenticated yet (the key depends on these)
const MAX_OPSLIMIT = 16;
const MAX_MEMLIMIT = 1024 * 1024 * 1024; // crypto_pwhash_MEMLIMIT_SENSITIVE
const MIN_CHUNK = 1024;
const MAX_CHUNK = 16 * 1024 * 1024;

export type EncryptedArchiveErrorCode = 'NOT_ENCRYPTED' | 'UNSUPPORTED' | 'WRONG_PASSPHRASE' | 'CORRUPT' | 'TRUNCATED';

export class EncryptedArchiveError extends Error {
  constructor(public readonly code: EncryptedArchiveErrorCode, message: string) {
    super(message);
    this.name = 'EncryptedArchiveError';
  }
}

export interface EncryptOptions {
  passphrase: string;
  /** plaintext bytes per chunk (default 64 KiB) */
  chunkSize?: number;
  /** Argon2id salt and limits (default: a fresh salt, OPSLIMIT/MEMLIMIT_INTERACTIVE) */
  kdf?: KdfParams;
}

interface Header { opslimit: number; memlimit: number; chunkSize: number; salt: Uint8Array; streamHeader: Uint8Array }

function encodeHeader(h: Header): Buffer {
  const b = Buffer.alloc(ENCRYPTED_HEADER_BYTES);
  ENCRYPTED_MAGIC.copy(b, 0);
  b[8] = ENCRYPTED_FORMAT_VERSION;
  b[9] = KDF_ARGON2ID13;
  b.writeUInt32LE(h.opslimit, 12);
  b.writeUInt32LE(h.memlimit, 16);
  b.writeUInt32LE(h.chunkSize, 20);
  if (h.salt.length !== 16 || h.streamHeader.length !== SECRETSTREAM_HEADERBYTES) throw new Error('bad salt or stream header length');
  b.set(h.salt, 24);
  b.set(h.streamHeader, 40);
  return b;
}

function decodeHeader(b: Buffer): Header {
  if (b.length < ENCRYPTED_HEADER_BYTES || !b.subarray(0, 8).equals(ENCRYPTED_MAGIC)) {
    throw new EncryptedArchiveError('NOT_ENCRYPTED', 'not an encrypted MemoryOS export (magic bytes differ)');
  }
  if (b[8] !== ENCRYPTED_FORMAT_VERSION) throw new EncryptedArchiveError('UNSUPPORTED', `encrypted export format version ${b[8]} is not supported`);
  if (b[9] !== KDF_ARGON2ID13 || b.readUInt16LE(10) !== 0) throw new EncryptedArchiveError('UNSUPPORTED', 'unsupported key derivation in the encrypted export header');
  const h: Header = {
    opslimit: b.readUInt32LE(12),
    memlimit: b.readUInt32LE(16),
    chunkSize: b.readUInt32LE(20),
    salt: new Uint8Array(b.subarray(24, 40)),
    streamHeader: new Uint8Array(b.subarray(40, 64)),
  };
  if (h.opslimit < 1 || h.opslimit > MAX_OPSLIMIT || h.memlimit < 8192 || h.memlimit > MAX_MEMLIMIT) {
    throw new EncryptedArchiveError('UNSUPPORTED', 'the key derivation limits in the header are out of range');
  }
  if (h.chunkSize < MIN_CHUNK || h.chunkSize > MAX_CHUNK) throw new EncryptedArchiveError('UNSUPPORTED', 'the chunk size in the header is out of range');
  return h;
}

function checkPassphrase(p: unknown): string {
  if (typeof p !== 'string' || p.length === 0) throw new TypeError('a passphrase is required');
  return p;
}

/**
 * A Transform that turns the plaintext archive bytes into the encrypted form. Derives the key
 * (Argon2id, ~64 MiB, a fraction of a second) when created; initCrypto() must have run.
 */
export function createEncryptStream(opts: EncryptOptions): Transform {
  const passphrase = checkPassphrase(opts.passphrase);
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) throw new RangeError('chunkSize out of range');
  const kdf = opts.kdf ?? newKdfParams();
  const key = passphraseKey(passphrase, kdf);
  let sealer: Sealer;
  try {
    sealer = secretstreamSealer(key);
  } finally {
    wipe(key);
  }
  const header = encodeHeader({ opslimit: kdf.opslimit, memlimit: kdf.memlimit, chunkSize, salt: kdf.salt, streamHeader: sealer.header });
  const pending = Buffer.alloc(chunkSize);
  let fill = 0;
  let first = true;
  const seal = (plain: Uint8Array, final: boolean): Buffer => {
    const sealed = sealer.push(plain, final, first ? header : undefined);
    first = false;
    return Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  };
  return new Transform({
    construct(cb) {
      this.push(header);
      cb();
    },
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(chunkSize - fill, chunk.length - off);
        chunk.copy(pending, fill, off, off + n);
        fill += n;
        off += n;
        if (fill === chunkSize) {
          this.push(seal(pending, false));
          fill = 0;
        }
      }
      cb();
    },
    flush(cb: TransformCallback) {
      this.push(seal(pending.subarray(0, fill), true));
      pending.fill(0);
      cb();
    },
  });
}

/**
 * A Transform from the encrypted form back to the archive bytes. Errors are
 * EncryptedArchiveError: NOT_ENCRYPTED, UNSUPPORTED, WRONG_PASSPHRASE (the first chunk does not
 * open: a wrong passphrase, or a damaged header or first chunk), CORRUPT (a later chunk does not
 * authenticate, or bytes follow the final chunk), TRUNCATED (the file ends before the final chunk).
 * Memory: one chunk. Nothing is passed on before its chunk has authenticated.
 */
export function createDecryptStream(passphrase: string): Transform {
  checkPassphrase(passphrase);
  let headerBuf: Buffer | null = Buffer.alloc(0);
  let header: Buffer | undefined;
  let opener: Opener | undefined;
  let cipherChunk = 0;
  let acc: Buffer = Buffer.alloc(0);
  let fill = 0;
  let index = 0;
  let done = false;

  const open1 = (c: Uint8Array): Buffer => {
    const r = opener!.pull(c, index === 0 ? header : undefined);
    if (!r) {
      throw index === 0
        ? new EncryptedArchiveError('WRONG_PASSPHRASE', 'wrong passphrase (or the archive header or its first block is damaged)')
        : new EncryptedArchiveError('CORRUPT', `the encrypted archive is damaged (block ${index} does not authenticate)`);
    }
    index++;
    if (r.final) done = true;
    return Buffer.from(r.message.buffer, r.message.byteOffset, r.message.byteLength);
  };

  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        let off = 0;
        if (headerBuf) {
          const need = ENCRYPTED_HEADER_BYTES - headerBuf.length;
          headerBuf = Buffer.concat([headerBuf, chunk.subarray(0, need)]);
          off = Math.min(need, chunk.length);
          if (headerBuf.length < ENCRYPTED_HEADER_BYTES) {
            // a short read: check the magic as soon as it is there, so a plain ZIP fails at once
            if (headerBuf.length >= 8) decodeMagicOnly(headerBuf);
            return cb();
          }
          header = headerBuf;
          headerBuf = null;
          const h = decodeHeader(header);
          const key = passphraseKey(passphrase, { salt: h.salt, opslimit: h.opslimit, memlimit: h.memlimit });
          try {
            opener = secretstreamOpener(key, h.streamHeader);
          } finally {
            wipe(key);
          }
          cipherChunk = h.chunkSize + SECRETSTREAM_ABYTES;
          acc = Buffer.alloc(cipherChunk);
        }
        while (off < chunk.length) {
          if (done) throw new EncryptedArchiveError('CORRUPT', 'the encrypted archive has data after its final block');
          const n = Math.min(cipherChunk - fill, chunk.length - off);
          chunk.copy(acc, fill, off, off + n);
          fill += n;
          off += n;
          if (fill === cipherChunk) {
            this.push(open1(acc));
            fill = 0;
          }
        }
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        if (headerBuf) throw new EncryptedArchiveError(headerBuf.length >= 8 ? 'TRUNCATED' : 'NOT_ENCRYPTED', 'the file is too short to be an encrypted export');
        if (!done) {
          if (fill < SECRETSTREAM_ABYTES) throw new EncryptedArchiveError('TRUNCATED', 'the encrypted archive is truncated (no final block)');
          this.push(open1(acc.subarray(0, fill)));
          if (!done) throw new EncryptedArchiveError('TRUNCATED', 'the encrypted archive is truncated (no final block)');
        }
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}

function decodeMagicOnly(b: Buffer): void {
  if (!b.subarray(0, 8).equals(ENCRYPTED_MAGIC)) throw new EncryptedArchiveError('NOT_ENCRYPTED', 'not an encrypted MemoryOS export (magic bytes differ)');
}

/** Whether the file starts with the encrypted form's magic bytes. */
export async function isEncryptedArchive(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(8);
    const { bytesRead } = await fh.read(b, 0, 8, 0);
    return bytesRead === 8 && b.equals(ENCRYPTED_MAGIC);
  } finally {
    await fh.close();
  }
}

/** The decrypted bytes of an encrypted archive as a stream (errors as in createDecryptStream). */
export function openDecrypted(path: string, passphrase: string): Readable {
  const src = createReadStream(path, { highWaterMark: DEFAULT_CHUNK_SIZE + SECRETSTREAM_ABYTES });
  const dec = createDecryptStream(passphrase);
  src.on('error', (err) => dec.destroy(err));
  dec.on('close', () => src.destroy());
  return src.pipe(dec);
}

/** Writes the plain ZIP of an encrypted archive to `outPath` (mode 0600); removes it on failure. */
export async function decryptArchive(inPath: string, outPath: string, passphrase: string): Promise<void> {
  await initCrypto();
  try {
    await pipeline(openDecrypted(inPath, passphrase), createWriteStream(outPath, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(outPath, { force: true });
    throw err;
  }
}
