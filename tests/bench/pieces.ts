import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { App } from '../../core/app/app';
import { core } from './core-dist';
import { contentBytes, memoryAt } from './corpus';

/**
 * Unit costs of the pieces a memory.create is made of, on the same bytes, each timed alone, times
 * how often one call does it (counted by reading core/memories/memories.ts writeNewMemory,
 * store/sync-log.ts appendUpdate, memories/read-model.ts saveRecord, events/envelope.ts
 * emit and api/router.ts; AMBER's audit-chain work weighted by its 30 % share). The sum is a
 * model to set beside the measured latency and the CPU profile.
 */
export interface Piece { piece: string; us_each: number; per_create: number; per_import_item: number; us_per_create: number; us_per_import_item: number }

/** Mean microseconds per call over `iters` calls, after a warm-up; fn sees a fresh index on every call. */
function usPerOp(fn: (i: number) => void, iters = 2000): number {
  const warm = Math.min(200, iters);
  for (let i = 0; i < warm; i++) fn(i);
  const t0 = performance.now();
  for (let i = warm; i < warm + iters; i++) fn(i);
  return ((performance.now() - t0) * 1000) / iters;
}

export async function measurePieces(app: App, dataDir: string): Promise<{ pieces: Piece[]; modeled_us_per_create: number; modeled_us_per_import_item: number }> {
  const s = core.sodium();
  const { newDoc, change } = core.docUpdate();
  const { writeContent, writeMeta } = core.memoryDoc();
  const { canonicalJson } = core.json();
  const { sha256Hex } = core.hash();
  const { entrySigningBytes } = core.syncLog();
  const catalog = core.catalog().apiCatalog();
  const envelopeValid = core.validator().validatorFor('events/envelope.schema.json');
  const payloadValid = core.topics().topicEntry('HIPPO_ENCODE').validate;

  const m = memoryAt(424_242, 1000);
  const key = s.newKey();
  const ictx = core.internals().internals(app).ctx;
  const signKey = ictx.keyring!.deviceSign.privateKey;
  // real samples from the vault just measured: an AMBER envelope (the heavier, audited kind), a create request and response
  const envelope = JSON.parse((ictx.db.prepare("SELECT envelope FROM events WHERE topic = 'HIPPO_ENCODE' AND envelope LIKE '%\"band\":\"AMBER\"%' ORDER BY rowid DESC LIMIT 1").pluck().get() as string));
  const space = (ictx.db.prepare('SELECT space_id FROM spaces LIMIT 1').pluck().get() as string);
  const request = { space_id: space, ...m };
  const response = await app.call('memory.create', request);
  const importReq = { space_id: space, memories: Array.from({ length: 1000 }, (_, i) => memoryAt(500_000 + i, 1000)) };

  const contentDoc = () => { const d = newDoc(1); change(d, () => writeContent(d, { ...m }, Date.now())); return d; };
  const metaDoc = () => { const d = newDoc(1); change(d, () => writeMeta(d, { band: m.band, type: m.type, author: 'a'.repeat(26), origin_device: 'd'.repeat(26), created_at: Date.now(), deleted_at: null, expires_at: null, recipients: [], dek: { mode: 'epoch', epoch: 1, nonce: 'n'.repeat(32), ct: 'c'.repeat(64) } })); return d; };
  const cDoc = contentDoc();
  const update = Y.encodeStateAsUpdate(cDoc);
  const plain1k = contentBytes(m);
  const sealed = s.aeadEncrypt(plain1k, 'ad', key);
  const header = { space_id: space, doc_id: 'x'.repeat(26), author_device: 'd'.repeat(26), seq: 1, key_id: 'dek:' + 'x'.repeat(26), nonce: s.random(24), ciphertext: sealed.ciphertext };

  // a scratch database with the vault's own settings (WAL, synchronous=FULL) for statement and commit costs
  const db = new Database(join(dataDir, 'pieces.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, seq INTEGER NOT NULL, nonce BLOB, ct BLOB, UNIQUE (doc, seq))');
  const insert = db.prepare('INSERT INTO t (doc, seq, nonce, ct) VALUES (?, ?, ?, ?)');
  let seq = 0;
  const inTxn = (() => { let r = 0; db.transaction(() => { r = usPerOp(() => insert.run('doc', ++seq, header.nonce, sealed.ciphertext), 5000); })(); return r; })();
  const commit = usPerOp(() => db.transaction(() => insert.run('doc', ++seq, header.nonce, sealed.ciphertext))(), 300);
  const select = db.prepare('SELECT * FROM t WHERE id = ?');
  const pkGet = usPerOp((i) => select.get(1 + (i % 1000)), 5000);

  // the live index of the vault just measured (n memories), one upsert per autocommit as indexMemory's onCommit does
  const idx = ictx.search!;
  const doc = (i: number) => { const x = memoryAt(600_000 + i, 1000); return { memory_id: 'PIECE' + String(i).padStart(21, '0'), space_id: space, band: x.band, type: x.type, updated_at: i, author: 'a', readers: null, title: x.title, body: x.body, tags: x.tags, people: x.people, places: x.places, created_at: i, occurred_at: null }; };
  const fresh = Array.from({ length: 500 }, (_, i) => doc(i)); // generated outside the timed loop
  const fts = usPerOp((i) => idx.upsert(fresh[i]!), 300);
  for (const d of fresh) idx.remove(d.memory_id);

  const rows: [string, number, number, number][] = [
    // piece, µs each, count per memory.create, count per imported memory
    ['Yjs: new content doc + change (title, body, lists)', usPerOp(() => contentDoc(), 1000), 1, 1],
    ['Yjs: new meta doc + change', usPerOp(() => metaDoc(), 1000), 1, 1],
    ['Yjs: encodeStateAsUpdate (read model state)', usPerOp(() => Y.encodeStateAsUpdate(cDoc), 2000), 2, 2],
    ['AEAD XChaCha20-Poly1305 encrypt ~1 KB', usPerOp(() => s.aeadEncrypt(update, 'ad', key), 5000), 5, 5],
    ['AEAD encrypt 32 B (DEK wrap)', usPerOp(() => s.aeadEncrypt(key, 'ad', key), 5000), 1, 1],
    ['log entry signing bytes (JCS + SHA-256 of ciphertext)', usPerOp(() => entrySigningBytes(header), 5000), 2, 2],
    ['Ed25519 sign (log entry)', usPerOp(() => s.sign(entrySigningBytes(header), signKey), 2000) - usPerOp(() => entrySigningBytes(header), 2000), 2, 2],
    ['Ed25519 sign (event envelope, JCS bytes)', usPerOp(() => s.sign(canonicalJson(envelope), signKey), 2000), 1, 1],
    ['JCS canonical JSON of an envelope', usPerOp(() => canonicalJson(envelope), 5000), 2.3, 2.3],
    ['SHA-256 hex (node:crypto) of an envelope', usPerOp(() => sha256Hex(canonicalJson(envelope)), 5000) - usPerOp(() => canonicalJson(envelope), 5000), 0.3, 0.3],
    ['ajv: memory.create request', usPerOp(() => catalog.get('memory.create')!.validateRequest(request), 5000), 1, 0],
    ['ajv: memory.import request (per item of 1000)', usPerOp(() => catalog.get('memory.import')!.validateRequest(importReq), 50) / 1000, 0, 1],
    ['ajv: memory.create response', usPerOp(() => catalog.get('memory.create')!.validateResponse(response), 5000), 1, 0],
    ['ajv: event envelope + payload', usPerOp(() => { envelopeValid(envelope); payloadValid(envelope.payload); }, 5000), 1, 1],
    ['SQLite: INSERT ~1 KB row inside a transaction', inTxn, 4.3, 4.3],
    ['SQLite: SELECT by primary key', pkGet, 6.3, 3.3],
    ['SQLite: commit of a 1-row transaction (WAL, synchronous=FULL: fsync)', commit, 1, 0.001],
    ['FTS5: SearchIndex.upsert into the live index, autocommit (as onCommit does)', fts, 1, 1],
  ];
  db.close();
  const pieces = rows.map(([piece, us, pc, pi]) => ({ piece, us_each: round(us), per_create: pc, per_import_item: pi, us_per_create: round(us * pc), us_per_import_item: round(us * pi) }));
  return {
    pieces,
    modeled_us_per_create: round(pieces.reduce((a, p) => a + p.us_per_create, 0)),
    modeled_us_per_import_item: round(pieces.reduce((a, p) => a + p.us_per_import_item, 0)),
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
