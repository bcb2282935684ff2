import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { b64, fromB64, type KdfParams, type Sealed } from '../crypto/sodium';
import { PAGE_CIPHER, type PageCipher } from '../store/database';

/**
 * The vault header: the one file of a data directory that is not encrypted, because unlocking
 * needs it before any key exists. It holds only what a locked vault must show or use — the
 * Argon2id parameters and salt, the vault master key wrapped by the passphrase and by the
 * recovery key, and the unlock backoff — never a name, an id or a count. Everything else,
 * the database included, is encrypted under keys the master key derives.
 *
 * Written atomically (a temporary file, fsync, rename, fsync of the directory): a crash leaves
 * the old header or the new one, never a torn one.
 */
export const HEADER_FILE = 'vault.header';
const FORMAT = 'memoryos-vault';
const VERSION = 1;

export interface VaultHeader {
  kdf: KdfParams;
  /** the vault master key sealed by Argon2id(passphrase) */
  pass: Sealed;
  /** the vault master key sealed by the recovery key */
  rec: Sealed;
  /** failed unlock attempts in a row, and when the next one may be tried */
  unlock: { failed: number; not_before: number | null };
  /**
   * Whether the person proved they kept the recovery key (it is shown once, at creation). Until
   * then the app asks again after a reload, with a new key, rather than let the only way back
   * into the vault be lost unnoticed. Absent in headers written before this field: true.
   */
  recovery_confirmed: boolean;
  /**
   * The cipher the database's pages were under when the header was last written (the store finds
   * it by trying, so a crash between a conversion and this file cannot mislead it). Written as
   * PAGE_CIPHER; the vault rewrites a header that names an earlier one after its conversion.
   */
  database_cipher?: PageCipher;
}

interface HeaderJson {
  format: string; version: number;
  kdf: { alg: 'argon2id13'; salt: string; opslimit: number; memlimit: number };
  pass: { nonce: string; ct: string }; rec: { nonce: string; ct: string };
  unlock: { failed: number; not_before: number | null };
  recovery_confirmed?: boolean;
  database: { cipher: PageCipher; key: 'blake2b(vmk)' };
}

export const headerPath = (dataDir: string): string => join(dataDir, HEADER_FILE);
export const hasHeader = (dataDir: string): boolean => existsSync(headerPath(dataDir));

export function readHeader(dataDir: string): VaultHeader | null {
  let text: string;
  try { text = readFileSync(headerPath(dataDir), 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const j = JSON.parse(text) as HeaderJson;
  if (j.format !== FORMAT || j.version !== VERSION) throw new Error(`${HEADER_FILE} is not a MemoryOS vault header this version reads (format ${j.format} ${j.version})`);
  return {
    kdf: { salt: fromB64(j.kdf.salt), opslimit: j.kdf.opslimit, memlimit: j.kdf.memlimit },
    pass: { nonce: fromB64(j.pass.nonce), ciphertext: fromB64(j.pass.ct) },
    rec: { nonce: fromB64(j.rec.nonce), ciphertext: fromB64(j.rec.ct) },
    unlock: { failed: j.unlock?.failed ?? 0, not_before: j.unlock?.not_before ?? null },
    recovery_confirmed: j.recovery_confirmed ?? true,
    database_cipher: j.database?.cipher,
  };
}

export function writeHeader(dataDir: string, h: VaultHeader): void {
  const j: HeaderJson = {
    format: FORMAT, version: VERSION,
    kdf: { alg: 'argon2id13', salt: b64(h.kdf.salt), opslimit: h.kdf.opslimit, memlimit: h.kdf.memlimit },
    pass: { nonce: b64(h.pass.nonce), ct: b64(h.pass.ciphertext) },
    rec: { nonce: b64(h.rec.nonce), ct: b64(h.rec.ciphertext) },
    unlock: h.unlock,
    recovery_confirmed: h.recovery_confirmed,
    database: { cipher: PAGE_CIPHER, key: 'blake2b(vmk)' },
  };
  writeFileDurably(headerPath(dataDir), JSON.stringify(j, null, 2) + '\n');
}

/** Replaces a file so that a crash at any point leaves the old content or the new, whole. */
export function writeFileDurably(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}
