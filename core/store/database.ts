import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../shared/paths';
import { ApiError } from '../shared/errors';
import { busyError, isBusy } from './busy';

export type Db = Database.Database;

export const DB_FILE = 'memoryos.db';
export const dbPath = (dataDir: string, name = DB_FILE): string => join(dataDir, name);

/** What the file at `path` is: missing, a plaintext SQLite database (its 16-byte header), or pages no one can read without the key. */
export type DbState = 'none' | 'plaintext' | 'encrypted';
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function databaseState(path: string): DbState {
  let fd: number;
  try { fd = openSync(path, 'r'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw e;
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'none';
    return head.equals(SQLITE_MAGIC) ? 'plaintext' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

export interface OpenOptions {
  /** the database key (32 bytes, derived from the vault master key): pages are ChaCha20-Poly1305 */
  key: Uint8Array;
  /** better-sqlite3-multiple-ciphers built for another runtime's ABI (Electron's), when it is not Node's */
  nativeBinding?: string;
  /** the file's name in the data directory (default memoryos.db) */
  file?: string;
}

/**
 * Opens the vault database — every page encrypted (SQLite3MultipleCiphers, ChaCha20-Poly1305,
 * the raw 32-byte key, no passphrase KDF: the key already comes from Argon2id and BLAKE2b) — in
 * WAL mode, and applies numbered migrations (core/store/migrations/NNN_name.sql). A key that
 * does not open it is a CORRUPT error naming the file, never a silent empty database.
 */
export function openDatabase(dataDir: string, opts: OpenOptions): Db {
  try {
    return open(dataDir, opts);
  } catch (e) {
    throw isBusy(e) ? busyError() : e;
  }
}

/**
 * How the database's pages are encrypted. AEGIS-256 (an AEAD with a 256-bit key and nonce, on the
 * CPU's AES instructions) is what this code writes: ChaCha20-Poly1305, the first encrypted format,
 * cost about twice as much wherever pages go to and from the disk (1,000 memories committed into a
 * file of 50,000: 126 ms against 65 ms AEGIS and 56 ms plaintext, docs/PERFORMANCE.md). A database
 * still in ChaCha20 pages is re-encrypted at its first unlock (encrypt-in-place.ts).
 */
export type PageCipher = 'aegis-256' | 'chacha20';
export const PAGE_CIPHER: PageCipher = 'aegis-256';

/** Sets the cipher and the key on a fresh connection: before anything else reads a page (rekey: the cipher the next rekey writes). */
export function keyDatabase(db: Db, key: Uint8Array, cipher: PageCipher = PAGE_CIPHER, pragma: 'key' | 'rekey' = 'key'): void {
  if (key.length !== 32) throw new Error('a database key is 32 bytes');
  if (cipher === 'aegis-256') {
    db.pragma("cipher = 'aegis'");
    db.pragma("algorithm = 'aegis-256'");
  } else {
    db.pragma("cipher = 'chacha20'");
  }
  // a raw 32-byte key (x'…'): no KDF, the key is derived from the vault master key already
  db.pragma(`${pragma} = "x'${Buffer.from(key).toString('hex')}'"`);
}

/** Which cipher opens the database at `path` with `key` (null: none does, or it is plaintext). Reads one page with each. */
export function pageCipherOf(path: string, key: Uint8Array, nativeBinding?: string): PageCipher | null {
  for (const cipher of [PAGE_CIPHER, 'chacha20'] as const) {
    const db = new Database(path, nativeBinding ? { nativeBinding } : {});
    try {
      keyDatabase(db, key, cipher);
      db.pragma('busy_timeout = 5000');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return cipher;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_NOTADB') throw e;
    } finally {
      db.close();
    }
  }
  return null;
}

/** Whether a database has a table of that name (a data directory of an earlier release may lack one). */
export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function open(dataDir: string, opts: OpenOptions): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = dbPath(dataDir, opts.file);
  const db = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    keyDatabase(db, opts.key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new ApiError('CORRUPT', `${opts.file ?? DB_FILE} does not open with this vault's key: it is damaged, or belongs to another vault`, { file: opts.file ?? DB_FILE });
      }
      throw e;
    }
    // waits for another process's write instead of failing at once (set first: the pragmas below may wait too)
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged write survives kill -9 and power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    // A commit that leaves the WAL past this many pages copies them back into the file itself,
    // inside the write the person waits for (SQLite's default is 1,000: at ~35 pages a create,
    // one create in 30 paid a checkpoint, enough to set memory.create's p95 at 100k). The
    // scheduler checkpoints between calls instead (checkpointBetweenCalls); this stays as the
    // bound for a vault opened without a scheduler or a long burst of writes.
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    // 32 MiB of decrypted pages (default 2 MiB): every page read past the cache is a ChaCha20-Poly1305
    // open, and the index's b-trees are wide; a cache that holds their upper levels keeps inserts and
    // queries off the cipher
    db.pragma('cache_size = -32768');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * A plaintext database of an earlier release, opened only to read what it holds (its vault row,
 * before it is encrypted): read-only, no migrations.
 */
export function openPlaintextReadOnly(path: string, nativeBinding?: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** The store's health: SQLite's quick check and the schema version. */
export function storeHealth(db: Db): { status: 'ok' | 'down'; detail: string } {
  const r = db.pragma('quick_check', { simple: true });
  return r === 'ok' ? { status: 'ok', detail: `schema v${db.pragma('user_version', { simple: true })}` } : { status: 'down', detail: String(r) };
}

/**
 * Makes a deletion final on disk: secure_delete zeroes freed pages, but the WAL still holds the
 * old pages until a checkpoint copies them back and TRUNCATE empties it. Best effort: a reader in
 * another process can hold the WAL, and the next checkpoint then finishes the job.
 */
export function checkpointTruncate(db: Db): boolean {
  const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return (r[0]?.busy ?? 1) === 0;
}

/**
 * Runs `fn` with busy_timeout 0 and puts it back: for work that can wait (the index's merges
 * between calls), so that another process holding the write lock (a CLI call) makes it fail at
 * once with SQLITE_BUSY instead of holding the thread that answers calls for busy_timeout.
 */
export function withoutBusyWait<T>(db: Db, fn: () => T): T {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/** 32 MiB of WAL at 4 KiB pages (see open) */
export const WAL_AUTOCHECKPOINT_PAGES = 8192;

/**
 * Copies what the WAL holds back into the database file without waiting for anyone (PASSIVE: a
 * reader in another process keeps its pages, the next call takes them): the scheduler runs it
 * between calls, so the writes themselves rarely pay a checkpoint. A WAL already copied costs a
 * few microseconds. Returns the pages copied.
 */
export function checkpointBetweenCalls(db: Db): number {
  const r = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
  return Math.max(0, r[0]?.checkpointed ?? 0);
}

/** Makes the WAL empty and closes: nothing of the vault is left outside the main file's encrypted pages. */
export function closeDatabase(db: Db): void {
  try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch { /* another process reads: its checkpoint finishes the job */ }
  db.close();
}

export function migrationFiles(): { version: number; name: string; sql: string }[] {
  const dir = join(repoRoot(), 'core', 'store', 'migrations');
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies what is missing, each migration in an IMMEDIATE transaction that reads the version
 * inside it: two processes opening a fresh data directory at once migrate it exactly once.
 */
function migrate(db: Db): void {
  for (const m of migrationFiles()) {
    if ((db.pragma('user_version', { simple: true }) as number) >= m.version) continue;
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
