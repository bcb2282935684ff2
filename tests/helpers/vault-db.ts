import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aeadDecrypt, passphraseKey } from '../../core/crypto/sodium';
import { keyDatabase } from '../../core/store/database';
import { readHeader } from '../../core/vault/header';
import { databaseKey } from '../../core/vault/vault';
import { PASSPHRASE } from './cli';

/**
 * The vault database of a data directory, opened from outside the app as a test (or an attacker
 * who knows the passphrase) would: the header's wrap opened with the passphrase, the database key
 * derived, the pages decrypted. Tests that edit rows on disk (tamper tests) or check SQLite's
 * integrity use it; the app never does.
 */
export function vaultDbKey(dir: string, passphrase = PASSPHRASE): Uint8Array {
  const h = readHeader(dir);
  if (!h) throw new Error(`no vault.header in ${dir}`);
  const vmk = aeadDecrypt(h.pass, 'vault|passphrase', passphraseKey(passphrase, h.kdf));
  if (!vmk) throw new Error('wrong passphrase for this vault');
  return databaseKey(vmk);
}

export function openVaultDb(dir: string, opts: { readonly?: boolean; passphrase?: string } = {}): Database.Database {
  const db = new Database(join(dir, 'memoryos.db'), opts.readonly ? { readonly: true } : {});
  keyDatabase(db, vaultDbKey(dir, opts.passphrase));
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The bytes of a plaintext copy of the database file's every page, free pages included (the copy re-keyed to
 * no key): what a scan for leftover fragments reads, since the file itself shows only ciphertext.
 * The WAL must be empty (a deletion truncates it); the caller asserts that first.
 */
export function decryptedPages(dir: string, passphrase?: string): Buffer {
  const wal = join(dir, 'memoryos.db-wal');
  if (existsSync(wal) && statSync(wal).size > 0) throw new Error('memoryos.db-wal is not empty: its frames would be folded into the copy');
  // the copy is the vault in plaintext: it lives only as long as this call, never past the test
  const tmp = mkdtempSync(join(tmpdir(), 'memoryos-plain-'));
  try {
    const out = join(tmp, 'plain.db');
    copyFileSync(join(dir, 'memoryos.db'), out);
    const db = new Database(out);
    keyDatabase(db, vaultDbKey(dir, passphrase));
    db.pragma('journal_mode = DELETE');
    db.pragma("rekey = ''");
    db.close();
    return readFileSync(out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
