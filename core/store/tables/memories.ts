import type { Band, MemoryType } from '../../../contracts/types';
import type { Db } from '../database';
import { dynamic, placeholders, query } from '../query';

/** The encrypted read model of one memory, derived from the logs. Every content column is AEAD ciphertext. */
export interface MemoryRow {
  memory_id: string; space_id: string; band: Band; type: MemoryType; author: string; origin_device: string;
  created_at: number; updated_at: number; deleted_at: number | null; expires_at: number | null; version: number;
  meta_key_id: string; meta_nonce: Buffer; meta_ct: Buffer; key_id: string; nonce: Buffer; ciphertext: Buffer;
  state_nonce: Buffer; state_ct: Buffer; dek_wrap: string | null;
}
export type MemoryRowInput = { [K in keyof MemoryRow]: MemoryRow[K] extends Buffer ? Uint8Array : MemoryRow[K] };

/** What unlock reads to index a memory: no Yjs state (at 100k memories each microsecond is a tenth of a second). */
export type IndexRow = Pick<MemoryRow, 'memory_id' | 'space_id' | 'band' | 'type' | 'author' | 'origin_device' | 'created_at' | 'updated_at' | 'deleted_at' | 'expires_at' | 'meta_key_id' | 'meta_nonce' | 'meta_ct' | 'key_id' | 'nonce' | 'ciphertext'>;

/** A page of memory.list: the metadata filters SQL can apply, newest first. */
export interface ListFilter {
  spaces: string[]; type?: string; band?: string; trash: boolean; now: number;
  cursor?: { updated_at: number; memory_id: string };
}

const COLS = 'memory_id, space_id, band, type, author, origin_device, created_at, updated_at, deleted_at, expires_at, version, meta_key_id, meta_nonce, meta_ct, key_id, nonce, ciphertext, state_nonce, state_ct, dek_wrap';
const put = query<unknown[]>(`INSERT OR REPLACE INTO memories (${COLS}) VALUES (${placeholders(20)})`);

function listWhere(f: ListFilter, single: boolean): { where: string; params: unknown[] } {
  // without a space filter the unary + keeps SQLite on the newest-first index instead of sorting
  const where = [`${single ? '' : '+'}space_id IN (${placeholders(f.spaces.length) || "''"})`];
  const params: unknown[] = [...f.spaces];
  if (f.type) { where.push('type = ?'); params.push(f.type); }
  if (f.band) { where.push('band = ?'); params.push(f.band); }
  if (f.trash) where.push('deleted_at IS NOT NULL');
  else { where.push('deleted_at IS NULL AND (expires_at IS NULL OR expires_at > ?)'); params.push(f.now); }
  return { where: where.join(' AND '), params };
}

export const memoriesTable = {
  find: query<[string], MemoryRow>(`SELECT ${COLS} FROM memories WHERE memory_id = ?`).get,
  put: (db: Db, r: MemoryRowInput): void => {
    put.run(db, r.memory_id, r.space_id, r.band, r.type, r.author, r.origin_device, r.created_at, r.updated_at, r.deleted_at, r.expires_at,
      r.version, r.meta_key_id, r.meta_nonce, r.meta_ct, r.key_id, r.nonce, r.ciphertext, r.state_nonce, r.state_ct, r.dek_wrap);
  },
  delete: query<[string]>('DELETE FROM memories WHERE memory_id = ?').run,
  deleteAll: query<[]>('DELETE FROM memories').run,
  deleteSpace: query<[string]>('DELETE FROM memories WHERE space_id = ?').run,
  /** a page of every row in id order, trash included: what an export walks (a page, never an open cursor across awaits) */
  pageAfter: query<[string, number], MemoryRow>(`SELECT ${COLS} FROM memories WHERE memory_id > ? ORDER BY memory_id LIMIT ?`).all,
  authoredBy: query<[string], { memory_id: string }>('SELECT memory_id FROM memories WHERE author = ? ORDER BY memory_id').all,
  trashedIn: (db: Db, spaces: string[]): MemoryRow[] =>
    spaces.length ? dynamic<MemoryRow>(db, `SELECT ${COLS} FROM memories WHERE deleted_at IS NOT NULL AND space_id IN (${placeholders(spaces.length)})`).all(...spaces) : [],
  trashedBefore: query<[number], MemoryRow>(`SELECT ${COLS} FROM memories WHERE deleted_at IS NOT NULL AND deleted_at <= ?`).all,
  /** a space's RED rows (their keys are sealed to people): what a member-key rotation re-seals */
  redOfSpace: query<[string], MemoryRow>(`SELECT ${COLS} FROM memories WHERE space_id = ? AND band = 'RED'`).all,
  author: (db: Db, id: string): string | null => authorOf.get(db, id)?.author ?? null,
  count: (db: Db): number => countAll.get(db)?.n ?? 0,
  countLive: (db: Db, space: string): number => countLive.get(db, space)?.n ?? 0,
  /** working memories past their expiry that are not in the trash yet */
  expired: query<[number], { memory_id: string }>('SELECT memory_id FROM memories WHERE deleted_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?').all,
  /** one page of the live rows after a memory id: the connection is free between pages (the caller may write) */
  livePage: query<[string, number], IndexRow>(`SELECT memory_id, space_id, band, type, author, origin_device, created_at, updated_at, deleted_at, expires_at,
    meta_key_id, meta_nonce, meta_ct, key_id, nonce, ciphertext FROM memories WHERE deleted_at IS NULL AND memory_id > ? ORDER BY memory_id LIMIT ?`).all,
  /** newest first from the cursor on; the caller stops after a page */
  listFrom: (db: Db, f: ListFilter): IterableIterator<MemoryRow> => {
    const single = f.spaces.length === 1;
    const { where, params } = listWhere(f, single);
    const cursor = f.cursor ? ' AND (updated_at < ? OR (updated_at = ? AND memory_id < ?))' : '';
    const cp = f.cursor ? [f.cursor.updated_at, f.cursor.updated_at, f.cursor.memory_id] : [];
    return dynamic<MemoryRow>(db, `SELECT ${COLS} FROM memories WHERE ${where}${cursor} ORDER BY updated_at DESC, memory_id DESC`).iterate(...params, ...cp);
  },
  /** how many rows the metadata filters match (policy may still hide some) */
  countFor: (db: Db, f: ListFilter): number => {
    const { where, params } = listWhere(f, f.spaces.length === 1);
    return dynamic<{ n: number }>(db, `SELECT COUNT(*) AS n FROM memories WHERE ${where}`).get(...params)?.n ?? 0;
  },
};
const authorOf = query<[string], { author: string }>('SELECT author FROM memories WHERE memory_id = ?');
const countAll = query<[], { n: number }>('SELECT COUNT(*) AS n FROM memories');
// the live-rows index alone (migration 020), named: without statistics the planner takes the
// (space, updated) index and reads every row of the space from the table for deleted_at
export const countLive = query<[string], { n: number }>('SELECT COUNT(*) AS n FROM memories INDEXED BY memories_live WHERE space_id = ? AND deleted_at IS NULL');
