/**
 * The floor of an import in this design, on one thread (a lower bound of MemoryOS's own layout,
 * not of every layout the issue allows, and not a baseline): per memory of the bench corpus, what
 * MemoryOS's import writes under items 1 and 2 of issue 11, and nothing else — two Yjs documents
 * (content, and the per-memory metadata document MemoryOS keeps where the spec names a space index
 * document) made and encoded, two log rows holding those updates sealed (XChaCha20-Poly1305,
 * sodium-native), the read model sealed, and one FTS5 row (the same columns and tokenizer), all
 * in one transaction per 1,000 in a WAL database with the store's page cipher (AEGIS-256), FTS5
 * options and WAL settings, synchronous=FULL. No signatures (one per 128 entries is ~0.2 µs a
 * memory), no second FTS5 table or impact tiers, no validation, no events. The WAL is
 * checkpointed between batches, outside the steps' timing, as the scheduler does between calls.
 * Prints µs per memory of each step; their sum is one thread's wall-clock time (the COMMIT
 * includes fsync waits), so work that needs no database (Yjs, seals) could run beside it on the
 * second core.
 *
 *   npx tsx tests/bench/import-floor.ts [n=20000]
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { core } from './core-dist';
import { memoryAt } from './corpus';
import { rawEncrypt } from './raw-aead';

const n = Number(process.argv[2] ?? 20_000);
const BATCH = 1000;
const dir = mkdtempSync(join(tmpdir(), 'memoryos-import-floor-'));
const db = new Database(join(dir, 'floor.db'));
// keyed and checkpointed as the store does it (core/store/database.ts, from dist/ like the bench)
const { keyDatabase, WAL_AUTOCHECKPOINT_PAGES } = core.database();
keyDatabase(db, Buffer.alloc(32, 0xab));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('cache_size = -32768');
db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
db.exec(`CREATE TABLE log (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, ct BLOB NOT NULL);
CREATE TABLE memories (id TEXT PRIMARY KEY, ct BLOB NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO fts (fts, rank) VALUES ('secure-delete', 1);
INSERT INTO fts (fts, rank) VALUES ('automerge', 0);`);
const insLog = db.prepare('INSERT INTO log (doc, ct) VALUES (?, ?)');
const insMem = db.prepare('INSERT INTO memories (id, ct) VALUES (?, ?)');
const insFts = db.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
const key = Buffer.alloc(32, 7);

function seal(plain: Uint8Array, ad: string): Uint8Array {
  const nonce = randomFillSync(Buffer.allocUnsafe(24));
  return Buffer.concat([nonce, rawEncrypt(plain, ad, nonce, key)]);
}

/** The read model as one sealed frame (the store seals three: content, its state, and the metadata with its state): the memory's fields as JSON, then both updates raw. */
function readModel(m: object, content: Uint8Array, meta: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(m));
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32BE(json.length, 0);
  head.writeUInt32BE(content.length, 4);
  return Buffer.concat([head, json, content, meta]);
}

const steps = { yjs: 0, seal: 0, sql: 0, commit: 0 };
const t = () => performance.now();
let row = 0;
const all0 = t();
for (let b = 0; b < n / BATCH; b++) {
  const ms = Array.from({ length: BATCH }, (_, k) => memoryAt(b * BATCH + k, n));
  db.exec('BEGIN');
  for (const m of ms) {
    const id = `m${++row}`;
    let a = t();
    const content = new Y.Doc({ guid: 'x' });
    content.transact(() => {
      content.getText('title').insert(0, m.title);
      content.getText('body').insert(0, m.body);
      content.getArray('tags').insert(0, m.tags);
      content.getArray('people').insert(0, m.people);
      content.getArray('places').insert(0, m.places);
    });
    const meta = new Y.Doc({ guid: 'x' });
    meta.transact(() => { const mm = meta.getMap('m'); mm.set('band', m.band); mm.set('type', m.type); mm.set('occurred_at', m.occurred_at); });
    const cu = Y.encodeStateAsUpdate(content);
    const mu = Y.encodeStateAsUpdate(meta);
    steps.yjs += t() - a; a = t();
    const c1 = seal(cu, id), c2 = seal(mu, `${id}.meta`), rm = seal(readModel(m, cu, mu), `readmodel|${id}`);
    steps.seal += t() - a; a = t();
    insLog.run(id, c1); insLog.run(id, c2); insMem.run(id, rm);
    insFts.run(row, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
    steps.sql += t() - a;
  }
  const a = t();
  db.exec('COMMIT');
  steps.commit += t() - a;
  db.pragma('wal_checkpoint(PASSIVE)');
}
const all = t() - all0;
const us = (x: number) => ((x * 1000) / n).toFixed(1);
console.log(`load ${loadavg()[0]!.toFixed(2)}; ${n} memories: ${us(all)} µs each (${((n / all) * 1000).toFixed(0)}/s, corpus generation and checkpoints included) — Yjs ${us(steps.yjs)}, seal ${us(steps.seal)}, SQL inserts ${us(steps.sql)}, COMMIT ${us(steps.commit)}; floor without the corpus: ${us(steps.yjs + steps.seal + steps.sql + steps.commit)} µs (${((n / (steps.yjs + steps.seal + steps.sql + steps.commit)) * 1000).toFixed(0)}/s)`);
db.close();
rmSync(dir, { recursive: true, force: true });
