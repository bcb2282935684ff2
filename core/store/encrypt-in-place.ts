import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '../shared/errors';
import { DB_FILE, databaseState, dbPath, keyDatabase, PAGE_CIPHER, pageCipherOf, type DbState, type PageCipher } from './database';

/**
 * Converts a database of an earlier format — a plaintext one of an earlier release, or one whose
 * pages are sealed with ChaCha20-Poly1305 (this round's first encrypted format) — into the
 * current one (PAGE_CIPHER), in place and crash-safe: a kill -9 at any point leaves either the
 * old database whole or the new one whole, and the next open finishes or undoes what was half done.
 *
 *   1. the old database's WAL is checkpointed into it and removed (journal_mode DELETE);
 *   2. it is copied to memoryos.db.encrypting, which SQLite3MultipleCiphers re-keys (PRAGMA rekey:
 *      every page rewritten under the current cipher), fsynced and checked (quick_check with the key);
 *   3. the old file is renamed aside (memoryos.db.plaintext, the name whatever it held), the new one into place;
 *   4. the old file is overwritten with zeros, fsynced and removed.
 *
 * Which state a crash left is read from the files themselves (recoverConversion). Another process
 * converting the same directory at the same moment waits on a lock file and then finds the work done.
 */
const ENCRYPTING = `${DB_FILE}.encrypting`;
const PLAINTEXT_ASIDE = `${DB_FILE}.plaintext`;
const LOCK = `${DB_FILE}.converting`;

/** Fault injection for the crash tests: the process kills itself (SIGKILL) at the named step. */
function crashPoint(step: 'wal-removed' | 'copied' | 'rekeyed' | 'moved-aside' | 'renamed'): void {
  if (process.env.MEMORYOS_TEST_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Overwrites a file with zeros before removing it: its plaintext pages do not stay in its blocks (as far as the file system allows). */
function shred(path: string): void {
  if (!existsSync(path)) return;
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    const zeros = Buffer.alloc(Math.min(size, 1 << 20));
    for (let off = 0; off < size; off += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - off), off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}

/** Finishes or undoes a conversion a crash interrupted; returns the state of memoryos.db afterwards. */
export function recoverConversion(dataDir: string): DbState {
  waitForOtherConverter(dataDir);
  const main = dbPath(dataDir);
  const enc = dbPath(dataDir, ENCRYPTING);
  const aside = dbPath(dataDir, PLAINTEXT_ASIDE);
  let state = databaseState(main);
  if (state === 'none' && existsSync(aside)) {
    // crashed between the two renames: the encrypted copy was complete before the first one
    if (existsSync(enc) && databaseState(enc) === 'encrypted') renameSync(enc, main);
    else renameSync(aside, main);
    fsyncPath(dataDir);
    state = databaseState(main);
  }
  if (existsSync(enc)) rmSync(enc, { force: true }); // a copy that never reached its place
  for (const f of [`${ENCRYPTING}-journal`, `${ENCRYPTING}-wal`, `${ENCRYPTING}-shm`]) rmSync(dbPath(dataDir, f), { force: true });
  if (state === 'encrypted' && existsSync(aside)) shred(aside);
  const lock = dbPath(dataDir, LOCK);
  if (existsSync(lock) && !lockHolderAlive(lock)) rmSync(lock, { force: true }); // left by a process that died converting
  return state;
}

const pause = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/** Another live process converting this directory: its files are half moved, so wait until it is done. */
function waitForOtherConverter(dataDir: string): void {
  const lock = dbPath(dataDir, LOCK);
  const deadline = Date.now() + 120_000;
  while (existsSync(lock) && lockHolder(lock) !== process.pid && lockHolderAlive(lock)) {
    if (Date.now() > deadline) throw new ApiError('BUSY', 'another process is encrypting this data directory', { retry: true });
    pause(100);
  }
}

function lockHolder(lock: string): number {
  try { return Number(readFileSync(lock, 'utf8')) || 0; } catch { return 0; }
}

function withLock<T>(dataDir: string, fn: () => T): T {
  const lock = dbPath(dataDir, LOCK);
  const deadline = Date.now() + 120_000;
  for (;;) {
    // the pid is in the file before the file has the lock's name (link fails if the name exists):
    // no other process ever sees a lock without its holder
    const tmp = `${lock}.${process.pid}`;
    writeFileSync(tmp, String(process.pid), { mode: 0o600 });
    try {
      linkSync(tmp, lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!lockHolderAlive(lock)) { rmSync(lock, { force: true }); continue; }
      if (Date.now() > deadline) throw new ApiError('BUSY', 'another process is encrypting this data directory', { retry: true });
      pause(100);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  try { return fn(); } finally { rmSync(lock, { force: true }); }
}

function lockHolderAlive(lock: string): boolean {
  const pid = lockHolder(lock);
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** What memoryos.db is in: plaintext, the current cipher, an earlier one, or nothing `key` opens. */
function formatOf(dataDir: string, state: DbState, key: Uint8Array, nativeBinding?: string): 'plaintext' | PageCipher | null {
  if (state === 'plaintext') return 'plaintext';
  if (state === 'none') return null;
  return pageCipherOf(dbPath(dataDir), key, nativeBinding);
}

/** Whether memoryos.db needs converting: plaintext, or pages under an earlier cipher. */
export function needsConversion(dataDir: string, key: Uint8Array, nativeBinding?: string): boolean {
  const f = formatOf(dataDir, databaseState(dbPath(dataDir)), key, nativeBinding);
  return f !== null && f !== PAGE_CIPHER;
}

/** Encrypts memoryos.db in place under `key` with the current cipher when it is plaintext or under an earlier one; returns whether it converted. */
export function encryptInPlace(dataDir: string, key: Uint8Array, nativeBinding?: string): boolean {
  return withLock(dataDir, () => {
    const from = formatOf(dataDir, recoverConversion(dataDir), key, nativeBinding);
    if (from === null || from === PAGE_CIPHER) return false;
    const main = dbPath(dataDir);
    const enc = dbPath(dataDir, ENCRYPTING);
    const aside = dbPath(dataDir, PLAINTEXT_ASIDE);
    const opts = nativeBinding ? { nativeBinding } : {};

    // an earlier cipher's pages are opened with it; plaintext needs no key
    const openOld = (path: string): Database.Database => {
      const d = new Database(path, opts);
      if (from !== 'plaintext') keyDatabase(d, key, from);
      return d;
    };
    const plain = openOld(main);
    try {
      plain.pragma('busy_timeout = 5000');
      plain.pragma('wal_checkpoint(TRUNCATE)');
      const mode = plain.pragma('journal_mode = DELETE', { simple: true });
      if (mode !== 'delete') throw new ApiError('BUSY', 'another process has this data directory open: close it, then unlock again', { retry: true });
    } finally {
      plain.close();
    }
    crashPoint('wal-removed');

    copyFileSync(main, enc);
    crashPoint('copied');
    const db = openOld(enc);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      keyDatabase(db, key, PAGE_CIPHER, 'rekey');
    } finally {
      db.close();
    }
    fsyncPath(enc);
    const check = new Database(enc, opts);
    try {
      keyDatabase(check, key);
      const ok = check.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new Error(`the encrypted copy failed its check: ${String(ok)}`);
    } finally {
      check.close();
    }
    if (databaseState(enc) !== 'encrypted') throw new Error('the copy is still plaintext after rekey');
    if (pageCipherOf(enc, key, nativeBinding) !== PAGE_CIPHER) throw new Error(`the copy is not under ${PAGE_CIPHER} after rekey`);
    crashPoint('rekeyed');

    renameSync(main, aside);
    fsyncPath(dirname(main));
    crashPoint('moved-aside');
    renameSync(enc, main);
    fsyncPath(dirname(main));
    crashPoint('renamed');
    shred(aside);
    rmSync(`${main}-journal`, { force: true });
    fsyncPath(dirname(main));
    return true;
  });
}
