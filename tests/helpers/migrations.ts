/**
 * Migration test kit: builds real SQLite files at any schema version straight from the numbered
 * SQL files, fills them with data generated from the schema itself, applies the next migration the
 * way core/store/database.ts does, and reports every way the migration changed what was there.
 *
 * Deliberately independent of core/: it reads the migrations directory itself (any directory can
 * be passed, e.g. a scratch copy holding a deliberately bad migration) and uses only better-sqlite3-multiple-ciphers.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Db = Database.Database;
export interface Migration { version: number; name: string; sql: string }

export const ROOT = resolve(__dirname, '..', '..');
/** Same pattern as core/store/database.ts's migrationFiles(). */
export const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;

/**
 * The migrations directory: $MEMORYOS_MIGRATIONS_DIR if set (to try a scratch copy), else
 * core/store/migrations, else the one directory under core/ that holds NNN_name.sql files (so a
 * restructured core/ does not silently leave this test with nothing to check).
 */
export function migrationsDir(): string {
  if (process.env.MEMORYOS_MIGRATIONS_DIR) return resolve(process.env.MEMORYOS_MIGRATIONS_DIR);
  const usual = join(ROOT, 'core', 'store', 'migrations');
  if (existsSync(usual)) return usual;
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (MIGRATION_FILE.test(e) && !found.includes(dir)) found.push(dir);
    }
  };
  walk(join(ROOT, 'core'));
  if (found.length !== 1) throw new Error(`expected one migrations directory under core/, found ${JSON.stringify(found)}`);
  return found[0];
}

export function readMigrations(dir: string = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/** Opens a database file with the connection settings openDatabase() uses. */
export function openDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  return db;
}

export function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Exactly what database.ts's migrate() does for one migration: its SQL and user_version in one transaction. */
export function applyMigration(db: Db, m: Migration): void {
  db.transaction(() => {
    db.exec(m.sql);
    db.pragma(`user_version = ${m.version}`);
  })();
}

/** Applies every migration with version <= upTo, one transaction each, as database.ts does. */
export function migrateTo(db: Db, migrations: Migration[], upTo: number): void {
  const current = userVersion(db);
  for (const m of migrations) if (m.version > current && m.version <= upTo) applyMigration(db, m);
}

// ---- schema introspection ---------------------------------------------------------------------

export const q = (id: string): string => '"' + id.replace(/"/g, '""') + '"';

export interface Column { name: string; type: string; notnull: boolean; dflt: string | null; pk: number }
export interface TableInfo {
  name: string;
  virtual: boolean;
  withoutRowid: boolean;
  columns: Column[];
  /** primary-key columns in key order (empty: compare by rowid) */
  pk: string[];
  /** every UNIQUE column set (primary key and unique indexes) */
  unique: string[][];
  foreignKeys: { from: string; table: string; to: string | null }[];
}

/**
 * Ordinary and virtual tables that hold user data (no sqlite_* internals, no FTS shadow tables, no
 * fts5vocab tables: read-only views over an FTS5 index, holding nothing of their own).
 */
export function tables(db: Db): TableInfo[] {
  const list = db.pragma('table_list') as { schema: string; name: string; type: string; wr: number }[];
  const views = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5vocab%'").all() as { name: string }[]).map((r) => r.name));
  return list
    .filter((t) => t.schema === 'main' && (t.type === 'table' || t.type === 'virtual') && !t.name.startsWith('sqlite_') && !views.has(t.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => {
      const columns = (db.pragma(`table_info(${q(t.name)})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[])
        .map((c) => ({ name: c.name, type: c.type, notnull: c.notnull === 1, dflt: c.dflt_value, pk: c.pk }));
      const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const unique: string[][] = pk.length ? [pk] : [];
      for (const ix of db.pragma(`index_list(${q(t.name)})`) as { name: string; unique: number }[]) {
        if (!ix.unique) continue;
        const cols = (db.pragma(`index_info(${q(ix.name)})`) as { name: string | null }[]).map((c) => c.name ?? '<expr>');
        unique.push(cols);
      }
      const foreignKeys = (db.pragma(`foreign_key_list(${q(t.name)})`) as { table: string; from: string; to: string | null }[])
        .map((f) => ({ from: f.from, table: f.table, to: f.to }));
      return { name: t.name, virtual: t.type === 'virtual', withoutRowid: t.wr === 1, columns, pk, unique, foreignKeys };
    });
}

export interface SchemaEntry { type: string; name: string; tbl_name: string; sql: string | null }

/** sqlite_schema, normalised: sorted, whitespace collapsed, statistics tables left out. */
export function schemaOf(db: Db): SchemaEntry[] {
  return (db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name").all() as SchemaEntry[])
    .map((e) => ({ ...e, sql: e.sql === null ? null : e.sql.replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').trim() }));
}

export function indexes(db: Db): Map<string, SchemaEntry> {
  return new Map(schemaOf(db).filter((e) => e.type === 'index').map((e) => [e.name, e]));
}

/** Index names a migration's SQL creates (CREATE [UNIQUE] INDEX [IF NOT EXISTS] name). */
export function indexesCreatedBy(sql: string): string[] {
  const noComments = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return [...noComments.matchAll(/CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:main\.)?["`[]?([A-Za-z0-9_]+)/gi)].map((m) => m[1]);
}

// ---- realistic data from the schema -----------------------------------------------------------

type Value = string | number | bigint | Buffer | null;

/** Values the app really writes into enum-like columns (used only where no UNIQUE is involved). */
const DOMAIN: Record<string, string[]> = {
  band: ['GREEN', 'AMBER', 'RED', 'BLACK'],
  role: ['guardian', 'member'],
  kind: ['personal', 'family', 'share'],
  platform: ['linux', 'darwin', 'win32'],
  status: ['pending', 'committed', 'undone', 'failed'],
  type: ['semantic', 'episodic', 'procedural'],
  topic: ['memory.created', 'memory.updated', 'vault.unlocked'],
};
/** multi-byte UTF-8: 2-, 3- and 4-byte sequences, a combining mark, RTL text */
const UTF8 = ['Zoë Ångström', '東京の思い出', 'ünïcødé 🌱🏔️👨‍👩‍👧', 'e\u0301 שלום мир'];

function affinity(type: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(t)) return 'REAL';
  return 'NUMERIC';
}

function bytes(label: string, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++) out.push(createHash('sha256').update(`${label}/${i}`).digest());
  const b = Buffer.concat(out).subarray(0, n);
  // a NUL and invalid UTF-8 up front: catches a rewrite that passes blobs through text
  if (n >= 3) { b[0] = 0x00; b[1] = 0xff; b[2] = 0xc3; }
  return b;
}

function valueFor(t: TableInfo, c: Column, seed: number, inUnique: boolean): Value {
  if (!c.notnull && c.pk === 0 && seed % 3 === 2) return null; // nullable columns: some rows NULL
  const aff = t.virtual ? 'TEXT' : affinity(c.type);
  const n = c.name.toLowerCase();
  if (aff === 'INTEGER' || aff === 'NUMERIC') {
    if (c.pk > 0 || inUnique) return seed + 1;
    if (/(_at|_seen)$/.test(n)) return 1_700_000_000_000 + seed * 86_400_123 + [...c.name].reduce((h, ch) => h * 31 + ch.charCodeAt(0), 0) % 100_000;
    if (n === 'local') return seed % 2;
    if (n.startsWith('kdf_ops')) return 3;
    if (n.startsWith('kdf_mem')) return 268_435_456;
    return seed * 7 + 1;
  }
  if (aff === 'REAL') return seed + 0.25;
  if (aff === 'TEXT') {
    if (!inUnique && DOMAIN[n]) return DOMAIN[n][seed % DOMAIN[n].length];
    if (/^(envelope|args|value)$/.test(n) || n.endsWith('json')) return JSON.stringify({ seed, column: c.name, note: UTF8[seed % UTF8.length] });
    if (n.endsWith('sha256')) return createHash('sha256').update(`${t.name}.${c.name}/${seed}`).digest('hex');
    const base = n.endsWith('_id') ? n.slice(0, -3) : n; // ids shared across tables: memories.space_id matches spaces.space_id
    const s = `${base}:${String(seed).padStart(4, '0')}:${UTF8[seed % UTF8.length]}`;
    const long = seed % 3 === 1 && !inUnique && !n.endsWith('_id'); // one long value per column: overflow pages
    return long ? s + ' ' + 'lorem ipsum dolor ✓ '.repeat(300) : s;
  }
  // BLOB: nonce/key-sized where the name says so, one large value per table
  const size = /nonce/.test(n) ? 24 : /pub|salt/.test(n) ? (n.includes('salt') ? 16 : 32) : /signature/.test(n) ? 64 : seed % 3 === 1 ? 6000 : 48 + seed;
  return bytes(`${t.name}.${c.name}/${seed}`, size);
}

/**
 * Inserts `rows` rows into every data table, parents before children. A row that hits a
 * constraint (CHECK (id = 1), UNIQUE, a foreign key) is retried with other values; a row that
 * cannot be placed is skipped. Seeds start at firstSeed (fill again with a new one to add more
 * rows). Returns how many rows each table got.
 */
export function fillTables(db: Db, rows = 3, firstSeed = 0): Record<string, number> {
  const all = tables(db);
  const ordered: TableInfo[] = [];
  const pending = [...all];
  while (pending.length) {
    const i = pending.findIndex((t) => t.foreignKeys.every((f) => f.table === t.name || ordered.some((o) => o.name === f.table) || !all.some((a) => a.name === f.table)));
    ordered.push(...pending.splice(i < 0 ? 0 : i, 1));
  }
  const counts: Record<string, number> = {};
  db.transaction(() => {
    for (const t of ordered) {
      const uniqueCols = new Set(t.unique.flat());
      const cols = t.columns;
      const insert = db.prepare(`INSERT INTO ${q(t.name)} (${cols.map((c) => q(c.name)).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      counts[t.name] = 0;
      for (let r = 0; r < rows; r++) {
        for (let attempt = 0; attempt < 8; attempt++) {
          const seed = firstSeed + r + attempt * rows;
          const values = cols.map((c) => {
            const fk = t.foreignKeys.find((f) => f.from === c.name);
            if (fk && fk.table !== t.name) {
              const parent = all.find((a) => a.name === fk.table);
              const to = fk.to ?? parent?.pk[0];
              const pick = parent && to ? (db.prepare(`SELECT ${q(to)} AS v FROM ${q(fk.table)} ORDER BY rowid LIMIT 1 OFFSET ?`).get(seed % Math.max(1, counts[fk.table] ?? 1)) as { v: Value } | undefined) : undefined;
              if (pick) return pick.v;
            }
            return valueFor(t, c, seed, uniqueCols.has(c.name));
          });
          try { insert.run(...values); counts[t.name]++; break; } catch (e) {
            if (!String((e as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) throw e;
          }
        }
      }
    }
  })();
  return counts;
}

// ---- snapshots and the check ------------------------------------------------------------------

/** A value as text that keeps its type: 1, '1' and x'01' all differ. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v}:${String(v)}`;
}

export interface TableSnapshot { table: TableInfo; key: string[]; rows: Map<string, Record<string, unknown>> }

/** Every row of every data table, keyed by primary key (or rowid when there is none). */
export function snapshot(db: Db): Map<string, TableSnapshot> {
  const out = new Map<string, TableSnapshot>();
  for (const t of tables(db)) {
    const key = t.pk.length ? t.pk : ['rowid'];
    const sel = [...(t.pk.length ? [] : ['rowid AS "rowid"']), ...t.columns.map((c) => q(c.name))].join(', ');
    const rows = new Map<string, Record<string, unknown>>();
    for (const row of db.prepare(`SELECT ${sel} FROM ${q(t.name)}`).all() as Record<string, unknown>[]) {
      rows.set(key.map((k) => show(row[k])).join('|'), row);
    }
    out.set(t.name, { table: t, key, rows });
  }
  return out;
}

/**
 * What a migration is allowed to do to existing data beyond adding tables, columns and indexes.
 * Derive it by reading the migration's SQL; anything not listed here is reported as a problem.
 */
export interface MigrationExpectation {
  /** tables the migration drops (their rows are not looked for afterwards) */
  dropsTables?: string[];
  /** 'table.column' the migration drops */
  dropsColumns?: string[];
  /** tables rebuilt with different keys or values: only "still has at least as many rows" is checked */
  rewritesTables?: string[];
  /** 'table.column' the migration sets on old rows (instead of leaving the DEFAULT) */
  backfills?: string[];
  /** indexes dropped (if also re-created, its definition may change) */
  dropsIndexes?: string[];
}

export interface CheckResult {
  problems: string[];
  /** rows put into each table at version-1 */
  filled: Record<string, number>;
  /** tables whose CREATE has a CHECK (e.g. vault's CHECK (id = 1)): they may hold fewer rows */
  checked: string[];
  before: number;
  after: number;
}

/** Integrity and foreign keys: an empty list means the database is sound. */
export function soundness(db: Db): string[] {
  const problems: string[] = [];
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (integrity.join() !== 'ok') problems.push(`integrity_check: ${integrity.join('; ')}`);
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  for (const r of fk) problems.push(`foreign_key_check: ${r.table} rowid ${r.rowid} has no parent in ${r.parent}`);
  return problems;
}

/** `now`'s rows keyed by another key (the one the table had before the migration). */
function rekey(db: Db, now: TableSnapshot, key: string[], problems: string[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const sel = [...key.map((k) => (k === 'rowid' ? 'rowid AS "rowid"' : q(k))), ...now.table.columns.filter((c) => !key.includes(c.name)).map((c) => q(c.name))].join(', ');
  try {
    for (const row of db.prepare(`SELECT ${sel} FROM ${q(now.table.name)}`).all() as Record<string, unknown>[]) out.set(key.map((k) => show(row[k])).join('|'), row);
  } catch (e) { problems.push(`table ${now.table.name}: cannot look rows up by (${key}): ${(e as Error).message}`); }
  return out;
}

/** Compares what a migration left against what was there before it ran. */
export function compareAcross(db: Db, before: Map<string, TableSnapshot>, schemaBefore: SchemaEntry[], m: Migration, exp: MigrationExpectation = {}): string[] {
  const problems: string[] = [];
  const after = snapshot(db);
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) {
      if (!exp.dropsTables?.includes(name)) problems.push(`table ${name} is gone (${old.rows.size} rows lost)`);
      continue;
    }
    if (exp.rewritesTables?.includes(name)) {
      if (now.rows.size < old.rows.size) problems.push(`table ${name}: ${old.rows.size} rows before, ${now.rows.size} after`);
      continue;
    }
    const nowCols = new Set(now.table.columns.map((c) => c.name));
    for (const c of old.table.columns) {
      if (!nowCols.has(c.name) && !exp.dropsColumns?.includes(`${name}.${c.name}`)) problems.push(`column ${name}.${c.name} is gone`);
    }
    let nowRows = now.rows;
    if (old.key.join() !== now.key.join()) {
      problems.push(`table ${name}: key changed from (${old.key}) to (${now.key})`);
      nowRows = rekey(db, now, old.key, problems); // still look old rows up by their old key
    }
    const oldCols = new Set(old.table.columns.map((c) => c.name));
    const added = now.table.columns.filter((c) => !oldCols.has(c.name) && !exp.backfills?.includes(`${name}.${c.name}`));
    const defaults = new Map(added.map((c) => [c.name, c.dflt === null ? null : (db.prepare(`SELECT ${c.dflt} AS v`).get() as { v: unknown }).v]));
    let lost = 0;
    for (const [key, row] of old.rows) {
      const r = nowRows.get(key);
      if (!r) { lost++; continue; }
      for (const c of old.table.columns) {
        if (!nowCols.has(c.name)) continue;
        if (show(r[c.name]) !== show(row[c.name])) problems.push(`${name}[${key.slice(0, 80)}].${c.name}: was ${show(row[c.name]).slice(0, 80)}, now ${show(r[c.name]).slice(0, 80)}`);
      }
      for (const [col, dflt] of defaults) {
        if (show(r[col]) !== show(dflt)) problems.push(`${name}[${key.slice(0, 80)}].${col} (added by ${m.name}): expected its DEFAULT ${show(dflt)}, found ${show(r[col]).slice(0, 80)}`);
      }
    }
    if (lost) problems.push(`table ${name}: ${lost} of ${old.rows.size} rows lost`);
  }
  // indexes: the ones the SQL creates exist and cover columns; none vanish or change unannounced
  const ixBefore = new Map(schemaBefore.filter((e) => e.type === 'index').map((e) => [e.name, e]));
  const ixAfter = indexes(db);
  for (const name of indexesCreatedBy(m.sql)) {
    const ix = ixAfter.get(name);
    if (!ix) { problems.push(`index ${name} (created by ${m.name}) does not exist`); continue; }
    if ((db.pragma(`index_info(${q(name)})`) as unknown[]).length === 0) problems.push(`index ${name} covers no columns`);
  }
  for (const [name, ix] of ixBefore) {
    if (exp.dropsIndexes?.includes(name) || exp.dropsTables?.includes(ix.tbl_name) || exp.rewritesTables?.includes(ix.tbl_name)) continue;
    const now = ixAfter.get(name);
    if (!now) problems.push(`index ${name} is gone`);
    else if (now.sql !== ix.sql) problems.push(`index ${name} changed: ${ix.sql} -> ${now.sql}`);
  }
  return problems;
}

/**
 * The whole check for migration `version`: a database at version-1 built from `migrations`, full
 * of data, migrated with exactly database.ts's transaction, then compared. Returns its problems.
 */
export function checkMigration(dir: string, migrations: Migration[], version: number, exp: MigrationExpectation = {}, rows = 3): CheckResult {
  const m = migrations.find((x) => x.version === version);
  if (!m) throw new Error(`no migration ${version}`);
  const file = join(dir, `at-${version - 1}-then-${version}.db`);
  const db = openDb(file);
  try {
    migrateTo(db, migrations, version - 1);
    const problems: string[] = [];
    if (userVersion(db) !== version - 1) problems.push(`built database is at ${userVersion(db)}, not ${version - 1}`);
    const filled = fillTables(db, rows);
    for (const [t, n] of Object.entries(filled)) if (n === 0) problems.push(`could not put any row into ${t} at version ${version - 1}`);
    const before = snapshot(db);
    const schemaBefore = schemaOf(db);
    const checked = schemaBefore.filter((e) => e.type === 'table' && /\bCHECK\s*\(/i.test(e.sql ?? '')).map((e) => e.name);
    applyMigration(db, m);
    db.close();
    const again = openDb(file); // what is on disk, not what one connection caches
    try {
      if (userVersion(again) !== version) problems.push(`user_version is ${userVersion(again)}, expected ${version}`);
      problems.push(...soundness(again));
      problems.push(...compareAcross(again, before, schemaBefore, m, exp));
      const total = (s: Map<string, TableSnapshot>): number => [...s.values()].reduce((n, t) => n + t.rows.size, 0);
      return { problems, filled, checked, before: total(before), after: total(snapshot(again)) };
    } finally { again.close(); }
  } finally { if (db.open) db.close(); }
}
