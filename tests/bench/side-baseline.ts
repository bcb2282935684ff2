import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { core } from './core-dist';
import { contentBytes, extraMemoryAt, memoryAt, type BenchMemory } from './corpus';
import type { Side, SideArgs } from './sides';
import { rawDecrypt, rawEncrypt } from './raw-aead';
import { rssBytes } from './stats';

/**
 * The baseline: raw better-sqlite3-multiple-ciphers and libsodium (sodium-native) on the same bytes, nothing of MemoryOS in
 * between (no router, policy, CRDT, signatures, events, read model).
 */
const idOf = (i: number) => i.toString(36).padStart(26, '0'); // ULID-sized text keys, inserted in order like ULIDs

export function openRawDb(dir: string): Database.Database {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // as MemoryOS: every commit is durable
  db.exec('CREATE TABLE IF NOT EXISTS raw (id TEXT PRIMARY KEY, nonce BLOB NOT NULL, ct BLOB NOT NULL)');
  return db;
}

/** Encrypts one memory's bytes (XChaCha20-Poly1305, nonce from Node's CSPRNG, the id as associated data). */
function seal(key: Uint8Array, id: string, m: BenchMemory): [string, Buffer, Uint8Array] {
  const nonce = randomBytes(24);
  return [id, nonce, rawEncrypt(contentBytes(m), id, nonce, key)];
}

/** "Unlock to searchable" without MemoryOS: read every row, decrypt it, put the plaintext into an in-memory FTS5. */
export function rebuildFts(db: Database.Database, key: Uint8Array): Database.Database {
  const fts = new Database(':memory:');
  // same columns and tokenizer as core/store/search-index.ts, nothing else
  fts.exec("CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2')");
  const ins = fts.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
  fts.transaction(() => {
    for (const r of db.prepare('SELECT id, nonce, ct FROM raw').iterate() as IterableIterator<{ id: string; nonce: Buffer; ct: Buffer }>) {
      const m = JSON.parse(Buffer.from(rawDecrypt(r.ct, r.id, r.nonce, key)).toString('utf8')) as BenchMemory;
      // rowid = corpus position + 1 (idOf is base 36): the top-20 comparison names hits by corpus position
      ins.run(parseInt(r.id, 36) + 1, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
    }
  })();
  return fts;
}

/**
 * The same MATCH expression MemoryOS builds, ranked the same way; no joins, filters or snippets.
 * Exact bm25: every match is ranked, ties by rowid (corpus order, as ours breaks them): the
 * reference of the top-20 comparison (top-overlap.ts).
 */
export function rawSearch(fts: Database.Database): (q: string) => { rowid: number; title: string }[] {
  const { toFtsQuery } = core.searchIndex();
  const stmt = fts.prepare('SELECT rowid, title FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 5.0, 1.0, 3.0, 3.0, 2.0), rowid LIMIT 20');
  return (q) => stmt.all(toFtsQuery(q)) as { rowid: number; title: string }[];
}

export class BaselineSide implements Side {
  private key = new Uint8Array(randomBytes(32)); // a throwaway key for synthetic data
  private db!: Database.Database;
  private insert!: Database.Statement;
  private fts!: Database.Database;
  private searchFts!: (q: string) => { rowid: number; title: string }[];

  constructor(private readonly args: SideArgs) {}

  async setup(): Promise<void> {
    this.db = openRawDb(this.args.dir);
    this.insert = this.db.prepare('INSERT INTO raw (id, nonce, ct) VALUES (?, ?, ?)');
    // the raw baseline keeps no index while writing (the spec's baseline is a bare insert); its
    // plaintext FTS5 is built from the rows, untimed, before the first search
    this.fts = new Database(':memory:');
  }

  async importBatch(start: number, count: number): Promise<number> {
    const items = Array.from({ length: count }, (_, k) => memoryAt(start + k, this.args.n));
    const t0 = performance.now();
    this.db.transaction(() => { items.forEach((m, k) => this.insert.run(...seal(this.key, idOf(start + k), m))); })();
    return performance.now() - t0;
  }

  async create(j: number): Promise<number> {
    const m = extraMemoryAt(j, this.args.n);
    const t0 = performance.now();
    this.db.transaction(() => this.insert.run(...seal(this.key, idOf(this.args.n + j), m)))();
    return performance.now() - t0;
  }

  async search(query: string): Promise<{ ms: number; hits: number; top: number[] }> {
    if (!this.searchFts) this.buildIndex();
    const t0 = performance.now();
    const rows = this.searchFts(query);
    const ms = performance.now() - t0;
    return { ms, hits: rows.length, top: rows.map((r) => r.rowid - 1) };
  }

  async rss(): Promise<number> { return rssBytes(); }

  async reopen(query: string): Promise<{ total_ms: number; parts: Record<string, number> }> {
    this.db.close();
    this.fts.close();
    const t0 = performance.now();
    this.db = openRawDb(this.args.dir);
    this.buildIndex();
    this.searchFts(query);
    return { total_ms: performance.now() - t0, parts: {} };
  }

  async extras(): Promise<Record<string, unknown>> {
    return { key: Buffer.from(this.key).toString('base64') }; // for the fresh-process RSS child only
  }

  async close(): Promise<void> {
    this.db.close();
    this.fts.close();
  }

  private buildIndex(): void {
    this.fts.close();
    this.fts = rebuildFts(this.db, this.key);
    this.searchFts = rawSearch(this.fts);
  }
}
