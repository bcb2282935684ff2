/**
 * Child process: the baseline for every figure — raw better-sqlite3 and libsodium on the same
 * bytes, with nothing of MemoryOS in between (no router, policy, CRDT, signatures, events).
 *   mode "full":       bulk insert, single-row creates, rebuild of a plaintext FTS5, searches, RSS
 *   mode "searchable": a fresh process that only decrypts the rows into FTS5 and searches, for RSS
 */
import Database from 'better-sqlite3';
import _sodium from 'libsodium-wrappers-sumo';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { core } from './core-dist';
import { contentBytes, extraMemoryAt, memoryAt, queries, type BenchMemory, type QueryKind } from './corpus';
import { childArgs, progress, writeResult } from './options';
import { rssBytes, summarize, timeMs, type Latency } from './stats';
import type { BaselineResult } from './results';

type Sodium = typeof _sodium;
const idOf = (i: number) => i.toString(36).padStart(26, '0'); // ULID-sized text keys, inserted in order like ULIDs

function openDb(dir: string): Database.Database {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // as MemoryOS: every commit is durable
  db.exec('CREATE TABLE IF NOT EXISTS raw (id TEXT PRIMARY KEY, nonce BLOB NOT NULL, ct BLOB NOT NULL)');
  return db;
}

/** Encrypts one memory's bytes with a fresh nonce from Node's CSPRNG, the id as associated data. */
function seal(sodium: Sodium, key: Uint8Array, id: string, m: BenchMemory): [string, Buffer, Uint8Array] {
  const nonce = randomBytes(24);
  return [id, nonce, sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(contentBytes(m), id, null, nonce, key)];
}

/** The baseline of "unlock to searchable": read every row, decrypt it, put the plaintext into an in-memory FTS5. */
function rebuildFts(sodium: Sodium, db: Database.Database, key: Uint8Array): Database.Database {
  const fts = new Database(':memory:');
  // same columns and tokenizer as core/search/search-index.ts, nothing else
  fts.exec("CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2')");
  const ins = fts.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
  let rowid = 0;
  fts.transaction(() => {
    for (const r of db.prepare('SELECT id, nonce, ct FROM raw').iterate() as IterableIterator<{ id: string; nonce: Buffer; ct: Buffer }>) {
      const m = JSON.parse(Buffer.from(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, r.ct, r.id, r.nonce, key)).toString('utf8')) as BenchMemory;
      ins.run(++rowid, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
    }
  })();
  return fts;
}

function searcher(fts: Database.Database): (q: string) => unknown[] {
  const { toFtsQuery } = core.searchIndex();
  // the same MATCH expression MemoryOS builds, ranked the same way, no joins, filters or snippets
  const stmt = fts.prepare('SELECT rowid, title FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 5.0, 1.0, 3.0, 3.0, 2.0) LIMIT 20');
  return (q) => stmt.all(toFtsQuery(q));
}

async function full(dir: string, args: ReturnType<typeof childArgs>): Promise<BaselineResult> {
  await _sodium.ready;
  const sodium = _sodium;
  const key = new Uint8Array(randomBytes(32));
  let db = openDb(dir);
  const insert = db.prepare('INSERT INTO raw (id, nonce, ct) VALUES (?, ?, ?)');

  const batchMs: number[] = [];
  for (let start = 0; start < args.n; start += args.batch) {
    const items = Array.from({ length: Math.min(args.batch, args.n - start) }, (_, k) => memoryAt(start + k, args.n));
    const t = await timeMs(() => db.transaction(() => { items.forEach((m, k) => insert.run(...seal(sodium, key, idOf(start + k), m))); })());
    batchMs.push(t.ms);
  }
  const importMs = batchMs.reduce((a, b) => a + b, 0);
  progress('baseline bulk insert done');

  const createMs: number[] = [];
  for (let j = 0; j < args.warmup + args.creates; j++) {
    const m = extraMemoryAt(j, args.n);
    const t = await timeMs(() => db.transaction(() => insert.run(...seal(sodium, key, idOf(args.n + j), m)))());
    if (j >= args.warmup) createMs.push(t.ms);
  }

  db.close();
  const qs = queries(args.n, args.queries);
  const t0 = performance.now();
  db = openDb(dir);
  const fts = rebuildFts(sodium, db, key);
  const search = searcher(fts);
  search(qs[0]!.query);
  const unlockMs = performance.now() - t0;

  for (const q of qs.slice(0, args.warmup)) search(q.query);
  const searchMs: number[] = [];
  const byKind: Record<string, number[]> = {};
  const hits: number[] = [];
  for (const q of qs) {
    const t = await timeMs(() => search(q.query));
    searchMs.push(t.ms);
    (byKind[q.kind] ??= []).push(t.ms);
    hits.push(t.value.length);
  }
  const rss = rssBytes();
  db.close();
  fts.close();
  return {
    import: { memories: args.n, batch: args.batch, total_ms: importMs, per_s: args.n / (importMs / 1000), batch_ms: summarize(batchMs) },
    create: summarize(createMs),
    search: { all: summarize(searchMs), by_kind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k as QueryKind, summarize(v)])) as Record<QueryKind, Latency>, hits },
    unlock: { total_ms: unlockMs },
    rss: { after_load: rss },
    key: Buffer.from(key).toString('base64'), // for the "searchable" child only; a throwaway key for synthetic data
  };
}

/** A fresh process holding what a searchable vault holds (decrypted FTS5 of every memory): its RSS. */
async function searchable(dir: string, args: ReturnType<typeof childArgs> & { key?: string }): Promise<unknown> {
  await _sodium.ready;
  const db = openDb(dir);
  const fts = rebuildFts(_sodium, db, new Uint8Array(Buffer.from(args.key!, 'base64')));
  const search = searcher(fts);
  for (const q of queries(args.n, 50)) search(q.query);
  const rss = rssBytes();
  db.close();
  fts.close();
  return { rss };
}

async function main(): Promise<void> {
  const args = childArgs();
  const result = args.mode === 'searchable' ? await searchable(args.dir, args) : await full(args.dir, args);
  writeResult(args.out, result);
}

main().catch((e) => { process.stderr.write(`baseline failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
