/**
 * Issue 7, item 11: migrations are tested — each migration from the previous schema, on a
 * database with data. Picks up every NNN_name.sql in the migrations directory, so a migration
 * added later is checked without touching this file; if it drops, rewrites or backfills anything,
 * it must say so in EXPECTATIONS below.
 *
 * Point the whole suite at another directory (e.g. a scratch copy with an extra migration) with
 * MEMORYOS_MIGRATIONS_DIR=/path npx vitest run tests/integration/migrations.test.ts
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigration, checkMigration, compareAcross, fillTables, migrateTo, migrationsDir, openDb, readMigrations,
  ROOT, schemaOf, snapshot, soundness, userVersion, MIGRATION_FILE, type Db, type Migration, type MigrationExpectation,
} from '../helpers/migrations';
import { tempDir } from '../helpers/tmp';

/**
 * What each migration may do to existing data beyond adding tables, columns and indexes, read off
 * its SQL. 001–003 and 005–006 only add tables, columns (with DEFAULT or NULL) and indexes.
 */
const EXPECTATIONS: Record<number, MigrationExpectation> = {
  // 004_list_order.sql: DROP INDEX memories_space, then re-creates it with memory_id appended
  4: { dropsIndexes: ['memories_space'] },
  9: { rewritesTables: ['epoch_seals', 'epoch_chain'] },
};

const DIR = migrationsDir();
const OVERRIDDEN = Boolean(process.env.MEMORYOS_MIGRATIONS_DIR);
const MIGRATIONS = readMigrations(DIR);
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir('memoryos-migrations-'); });
afterAll(() => { tmp.cleanup(); });

/** A fresh sub-directory of the test's temp dir. */
function scratch(name: string): string {
  const d = join(tmp.dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('the migrations directory', () => {
  it('holds numbered migrations 001..N, each version once, nothing misnamed', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(6);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    // a file that does not match the pattern is silently skipped by database.ts: flag it here
    expect(readdirSync(DIR).filter((f) => f.endsWith('.sql') && !MIGRATION_FILE.test(f))).toEqual([]);
    for (const v of Object.keys(EXPECTATIONS)) expect(MIGRATIONS.some((m) => m.version === Number(v)), `EXPECTATIONS[${v}] names no migration`).toBe(true);
  });
});

describe.each(MIGRATIONS.map((m) => [m.name, m] as const))('migration %s from the previous schema, with data', (_name, m) => {
  it('keeps every row and value, gives new columns their DEFAULT, creates its indexes, leaves a sound database', () => {
    const r = checkMigration(scratch(`m${m.version}`), MIGRATIONS, m.version, EXPECTATIONS[m.version]);
    expect(r.problems).toEqual([]);
    // every table that existed before got data: three rows, at least one where a CHECK limits it
    // (checkMigration already reports a table it could put no row into)
    if (m.version > 1) {
      expect(Object.keys(r.filled).length).toBeGreaterThan(0);
      for (const [t, n] of Object.entries(r.filled)) expect(n, t).toBeGreaterThanOrEqual(r.checked.includes(t) ? 1 : 3);
      if ('vault' in r.filled) expect(r.filled.vault).toBe(1); // CHECK (id = 1): id 1 was tried, the others refused
      expect(r.after).toBeGreaterThanOrEqual(r.before);
    }
  });
});

/** Migrates one file release by release (closing and reopening between them), adding data at each version. */
function stepwise(file: string, migrations: Migration[]): { db: Db; rows: number } {
  let rows = 0;
  for (const m of migrations) {
    const db = openDb(file);
    if (m.version > 1) rows += Object.values(fillTables(db, 3, 100 * m.version)).reduce((a, b) => a + b, 0);
    const before = snapshot(db);
    const schemaBefore = schemaOf(db);
    applyMigration(db, m);
    expect(compareAcross(db, before, schemaBefore, m, EXPECTATIONS[m.version])).toEqual([]);
    db.close();
  }
  return { db: openDb(file), rows };
}

describe('step by step equals fresh', () => {
  it('a database upgraded 1 → latest, with data, has the schema of one created at the latest in one go', () => {
    const { db: upgraded, rows } = stepwise(join(scratch('stepwise'), 'step.db'), MIGRATIONS);
    const fresh = openDb(join(scratch('fresh'), 'fresh.db'));
    migrateTo(fresh, MIGRATIONS, LATEST);
    try {
      expect(rows).toBeGreaterThan(0);
      expect(userVersion(upgraded)).toBe(LATEST);
      expect(userVersion(fresh)).toBe(LATEST);
      expect(soundness(upgraded)).toEqual([]);
      expect(schemaOf(upgraded)).toEqual(schemaOf(fresh));
    } finally { upgraded.close(); fresh.close(); }
  });
});

type OpenDatabase = (dataDir: string) => Db;

/**
 * The real core's store, opening a data directory as unlock does: a plaintext database (what the
 * fixtures here write, as earlier releases did) is encrypted in place first, then migrated.
 * Null if core moved it.
 */
async function coreOpenDatabase(): Promise<OpenDatabase | null> {
  try {
    const mod = (await import('../../core/store/store')) as { Store?: new (dir: string) => { open(key: Uint8Array): Db } };
    if (typeof mod.Store !== 'function') return null;
    const S = mod.Store;
    return (dataDir) => new S(dataDir).open(new Uint8Array(32).fill(7));
  } catch { return null; }
}

/** A data directory created by the real core: openDatabase(), or else the built CLI's `init`. */
async function coreCreated(dataDir: string): Promise<Db> {
  const open = await coreOpenDatabase();
  if (open) return open(dataDir);
  console.warn('core/store/store.ts has no Store any more: creating the database with the built CLI instead');
  if (!existsSync(join(ROOT, 'dist', 'core', 'cli', 'main.js'))) {
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error('npm run build failed: ' + b.stdout + b.stderr);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'memoryos.js'), '--data-dir', dataDir, 'init'], {
    encoding: 'utf8', env: { ...process.env, MEMORYOS_PASSPHRASE: 'correct horse battery staple' }, timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`memoryos init failed (${r.status}): ${r.stdout} ${r.stderr}`);
  return openDb(join(dataDir, 'memoryos.db'));
}

// the core reads its own migrations directory: comparing it against a scratch copy means nothing
describe.skipIf(OVERRIDDEN)('the real core', () => {
  it('creates a database at the latest user_version with the same schema', async () => {
    const fresh = openDb(join(scratch('core-ref'), 'ref.db'));
    migrateTo(fresh, MIGRATIONS, LATEST);
    const core = await coreCreated(scratch('core-new'));
    try {
      expect(userVersion(core)).toBe(LATEST);
      expect(schemaOf(core)).toEqual(schemaOf(fresh));
      expect(soundness(core)).toEqual([]);
    } finally { core.close(); fresh.close(); }
  });

  it.for(MIGRATIONS.map((m) => m.version - 1))('upgrades a database with data from version %i to the latest, keeping it', async (from, ctx) => {
    const open = await coreOpenDatabase();
    if (!open) { ctx.skip('core/store/store.ts has no Store any more: update this test'); return; } // the CLI cannot open a file without a vault
    const dataDir = scratch(`core-from-${from}`);
    const db = openDb(join(dataDir, 'memoryos.db'));
    migrateTo(db, MIGRATIONS, from);
    fillTables(db);
    const before = snapshot(db);
    const schemaBefore = schemaOf(db);
    db.close();
    const core = open(dataDir);
    const ref = openDb(join(scratch(`core-ref-${from}`), 'ref.db'));
    migrateTo(ref, MIGRATIONS, LATEST);
    try {
      expect(userVersion(core)).toBe(LATEST);
      expect(soundness(core)).toEqual([]);
      expect(schemaOf(core)).toEqual(schemaOf(ref));
      // the union of what every later migration may do, as one "migration" from `from` to the latest
      const later = MIGRATIONS.filter((m) => m.version > from);
      const all: Migration = { version: LATEST, name: `${from + 1}..${LATEST}`, sql: later.map((m) => m.sql).join('\n') };
      const merged: MigrationExpectation = {};
      for (const m of later) {
        for (const [k, v] of Object.entries(EXPECTATIONS[m.version] ?? {}) as [keyof MigrationExpectation, string[]][]) merged[k] = [...(merged[k] ?? []), ...v];
      }
      expect(compareAcross(core, before, schemaBefore, all, merged)).toEqual([]);
    } finally { core.close(); ref.close(); }
  });
});

describe('a migration that fails midway', () => {
  it('leaves the database at N-1: user_version, schema and rows unchanged, and N still applies afterwards', () => {
    const latest = MIGRATIONS[MIGRATIONS.length - 1];
    const file = join(scratch('broken'), 'broken.db');
    const db = openDb(file);
    migrateTo(db, MIGRATIONS, latest.version - 1);
    fillTables(db);
    const rowsBefore = snapshot(db);
    const schemaBefore = schemaOf(db);
    // the real statements run first (exec runs them one by one), then one that cannot
    const broken: Migration = { ...latest, sql: latest.sql + '\nCREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n' };
    expect(() => applyMigration(db, broken)).toThrow(/no such table/);
    expect(db.inTransaction).toBe(false);
    db.close();

    const again = openDb(file); // as the next start of the app would find it on disk
    try {
      expect(userVersion(again)).toBe(latest.version - 1);
      expect(schemaOf(again)).toEqual(schemaBefore);
      expect(compareAcross(again, rowsBefore, schemaBefore, { version: latest.version - 1, name: 'nothing', sql: '' })).toEqual([]);
      expect(soundness(again)).toEqual([]);
      applyMigration(again, latest); // the fixed migration then goes through
      expect(userVersion(again)).toBe(latest.version);
      expect(compareAcross(again, rowsBefore, schemaBefore, latest, EXPECTATIONS[latest.version])).toEqual([]);
    } finally { again.close(); }
  });
});

/**
 * The check itself is checked: a scratch copy of the migrations directory gets one more migration
 * that damages data, and checkMigration must report it. Nothing is written to the real directory.
 */
describe('the check catches a migration that damages data', () => {
  const next = String(LATEST + 1).padStart(3, '0');
  const cases: [string, string, RegExp][] = [
    ['deletes rows', 'DELETE FROM memories;', /^table memories: 3 of 3 rows lost$/],
    ['deletes one row', "DELETE FROM settings WHERE rowid = (SELECT min(rowid) FROM settings);", /^table settings: 1 of 3 rows lost$/],
    ['drops a table', 'DROP TABLE tombstones;', /^table tombstones is gone/],
    ['drops a column', 'ALTER TABLE memories DROP COLUMN dek_wrap;', /^column memories\.dek_wrap is gone$/],
    ['changes values', "UPDATE members SET name_ct = x'00';", /^members\[.*\]\.name_ct: was x'/],
    ['turns a blob into text', 'UPDATE secrets SET nonce = CAST(nonce AS TEXT);', /^secrets\[.*\]\.nonce: was x'/],
    ['adds a column but fills old rows', "ALTER TABLE devices ADD COLUMN label TEXT DEFAULT 'phone'; UPDATE devices SET label = 'laptop';", /^devices\[.*\]\.label \(added by .*\): expected its DEFAULT "phone", found "laptop"$/],
    ['rebuilds a table and loses a row', 'CREATE TABLE events2 AS SELECT * FROM events WHERE rowid > 1; DROP TABLE events; ALTER TABLE events2 RENAME TO events;', /^table events: 1 of 3 rows lost$/],
    ['drops an index', 'DROP INDEX sync_log_doc;', /^index sync_log_doc is gone$/],
  ];
  it.each(cases)('%s', (name, sql, expected) => {
    const copy = scratch(`bad-${name.replace(/\W+/g, '-')}`);
    for (const f of readdirSync(DIR).filter((x) => MIGRATION_FILE.test(x))) copyFileSync(join(DIR, f), join(copy, f));
    writeFileSync(join(copy, `${next}_bad.sql`), `-- deliberately bad\n${sql}\n`);
    const migrations = readMigrations(copy);
    expect(migrations.map((m) => m.version).at(-1)).toBe(LATEST + 1);
    const r = checkMigration(copy, migrations, LATEST + 1);
    expect(r.problems.some((p) => expected.test(p)), r.problems.join('\n')).toBe(true);
  });

  it('and a harmless one passes', () => {
    const copy = scratch('good');
    for (const f of readdirSync(DIR).filter((x) => MIGRATION_FILE.test(x))) copyFileSync(join(DIR, f), join(copy, f));
    writeFileSync(join(copy, `${next}_good.sql`), "ALTER TABLE devices ADD COLUMN label TEXT NOT NULL DEFAULT 'phone';\nCREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\nCREATE INDEX notes_body ON notes (body);\n");
    expect(checkMigration(copy, readMigrations(copy), LATEST + 1).problems).toEqual([]);
  });
});
