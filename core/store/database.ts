import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../shared/paths';
import { busyError, isBusy } from './busy';

export type Db = Database.Database;

/**
 * Opens the vault database in WAL mode and applies numbered migrations (core/store/migrations/NNN_name.sql).
 * `nativeBinding`: better-sqlite3 built for another runtime's ABI (Electron's), when it is not Node's.
 */
export function openDatabase(dataDir: string, opts: { nativeBinding?: string } = {}): Db {
  try {
    return open(dataDir, opts);
  } catch (e) {
    throw isBusy(e) ? busyError() : e;
  }
}

function open(dataDir: string, opts: { nativeBinding?: string }): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'memoryos.db'), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  // waits for another process's write instead of failing at once (set first: the pragmas below may wait too)
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives kill -9 and power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  migrate(db);
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
