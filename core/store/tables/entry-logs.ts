import type { Db } from '../database';
import { placeholders, dynamic, query } from '../query';

/** Which log: the replicated sync log, or the device-only log that holds BLACK memories (same shape). */
export type LogName = 'sync_log' | 'local_log';

/** One stored entry: header, ciphertext, signature; a purged entry keeps the hash its signature covers. */
export interface EntryRow {
  space_id: string; doc_id: string; author_device: string; seq: number; key_id: string;
  nonce: Buffer; ciphertext: Buffer; signature: Buffer; purged_sha256: string | null;
}
export interface NewEntry {
  space_id: string; doc_id: string; author_device: string; seq: number; key_id: string;
  nonce: Uint8Array; ciphertext: Uint8Array; signature: Uint8Array; purged_sha256?: string | null;
}

const COLS = 'space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature, purged_sha256';

// the same statements for both logs: the table name is part of the SQL text, not a parameter
function statementsFor(log: LogName) {
  return {
    maxSeq: query<[string, string], { s: number | null }>(`SELECT MAX(seq) AS s FROM ${log} WHERE space_id = ? AND author_device = ?`),
    insert: query<[string, string, string, number, string, Uint8Array, Uint8Array, Uint8Array, string | null]>(
      `INSERT INTO ${log} (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    ofDoc: query<[string, string], EntryRow>(`SELECT ${COLS} FROM ${log} WHERE space_id = ? AND doc_id = ? ORDER BY id`),
    all: query<[], EntryRow>(`SELECT ${COLS} FROM ${log} ORDER BY id`),
    deleteSpace: query<[string]>(`DELETE FROM ${log} WHERE space_id = ?`),
  };
}
const LOGS = { sync_log: statementsFor('sync_log'), local_log: statementsFor('local_log') };

const at = query<[string, string, number], EntryRow>(`SELECT ${COLS} FROM sync_log WHERE space_id = ? AND author_device = ? AND seq = ?`);
const after = query<[string, number, number], EntryRow & { id: number }>(`SELECT id, ${COLS} FROM sync_log WHERE space_id = ? AND id > ? ORDER BY id LIMIT ?`);
// A space's version vector in two index seeks per author device, not a read of the whole log:
// `GROUP BY author_device` visits every entry of the space (3.8 ms at 20k entries, and it runs per
// received batch, per ack and per hello); stepping the (space_id, author_device, seq) index from
// one author to the next and taking each one's last seq costs ~16 µs at 20k.
const nextAuthor = query<[string, string], { author_device: string }>('SELECT author_device FROM sync_log WHERE space_id = ? AND author_device > ? ORDER BY author_device LIMIT 1');
const unpurged = query<[string, string, number], { id: number; ciphertext: Buffer }>(
  'SELECT id, ciphertext FROM sync_log WHERE space_id = ? AND doc_id = ? AND purged_sha256 IS NULL AND id <= ?');
const purge = query<[string, number]>("UPDATE sync_log SET purged_sha256 = ?, ciphertext = x'' WHERE id = ?");
const lastId = query<[string, string], { m: number | null }>('SELECT MAX(id) AS m FROM sync_log WHERE space_id = ? AND doc_id = ?');
const since = query<[string, number], { n: number; m: number | null }>('SELECT COUNT(*) AS n, MAX(id) AS m FROM sync_log WHERE space_id = ? AND id > ?');
const anyAfter = query<[string, number], { one: 1 }>('SELECT 1 AS one FROM sync_log WHERE space_id = ? AND id > ? LIMIT 1');
const countOfDoc = query<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM sync_log WHERE space_id = ? AND doc_id = ?');

export const entryLogsTable = {
  maxSeq: (db: Db, log: LogName, space: string, device: string): number => LOGS[log].maxSeq.get(db, space, device)?.s ?? 0,
  insert: (db: Db, log: LogName, e: NewEntry): void => {
    LOGS[log].insert.run(db, e.space_id, e.doc_id, e.author_device, e.seq, e.key_id, e.nonce, e.ciphertext, e.signature, e.purged_sha256 ?? null);
  },
  ofDoc: (db: Db, log: LogName, space: string, doc: string): EntryRow[] => LOGS[log].ofDoc.all(db, space, doc),
  iterateAll: (db: Db, log: LogName): IterableIterator<EntryRow> => LOGS[log].all.iterate(db),
  deleteSpace: (db: Db, space: string): void => { LOGS.sync_log.deleteSpace.run(db, space); LOGS.local_log.deleteSpace.run(db, space); },
  /** BLACK documents leave the device-only log (shredded, or re-entered into the sync log) */
  deleteLocalDocs: (db: Db, space: string, docIds: string[]): void => {
    if (docIds.length) dynamic(db, `DELETE FROM local_log WHERE space_id = ? AND doc_id IN (${placeholders(docIds.length)})`).run(space, ...docIds);
  },
  // ---- the sync log only --------------------------------------------------------------------
  at: at.get,
  /** a session's cursor: entries of a space after a local row id, in local apply order */
  after: after.all,
  /** how many entries a document has (the (space_id, doc_id, id) index only: no row is read) */
  countOfDoc: (db: Db, space: string, doc: string): number => countOfDoc.get(db, space, doc)?.n ?? 0,
  /** whether any entry of a space follows a local row id (one index seek, however far behind) */
  anyAfter: (db: Db, space: string, afterId: number): boolean => !!anyAfter.get(db, space, afterId),
  /** how many entries of a space follow a local row id, and the last one's id (the (space_id, id) index only) */
  since: (db: Db, space: string, afterId: number): { n: number; last: number } => {
    const r = since.get(db, space, afterId);
    return { n: r?.n ?? 0, last: r?.m ?? afterId };
  },
  vector: (db: Db, space: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (let r = nextAuthor.get(db, space, ''); r; r = nextAuthor.get(db, space, r.author_device)) {
      out[r.author_device] = LOGS.sync_log.maxSeq.get(db, space, r.author_device)?.s ?? 0;
    }
    return out;
  },
  unpurged: unpurged.all,
  purge: purge.run,
  lastId: (db: Db, space: string, doc: string): number => lastId.get(db, space, doc)?.m ?? 0,
};
