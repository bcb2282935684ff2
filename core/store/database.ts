import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../shared/paths';

export type Db = Database.Database;

/**
 * Opens the vault database in WAL mode and applies numbered migrations (core/store/migrations/NNN_name.sql).
 * `nativeBinding`: better-sqlite3 built for another runtime's ABI (Electron's), when it is not Node's.
 */
export function openDatabase(dataDir: string, opts: { nativeBinding?: string } = {}): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'memoryos.db'), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives kill -9 and power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

/** The store's health: SQLite's quick check and the schema version. */
export function storeHealth(db: Db): { status: 'ok' | 'down'; detail: string } {
  const r = db.pragma('quick_check', { simple: true });
  return r === 'ok' ? { status: 'ok', detail: `schema v${db.pragma('user_version', { simple: true })}` } : { status: 'down', detail: String(r) };
}

export function migrationFiles(): { version: number; name: string; sql: string }[] {
  const dir = join(repoRoot(), 'core', 'store', 'migrations');
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrationFiles()) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
