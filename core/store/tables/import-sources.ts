import { query } from '../query';

/** A source item an import wrote (migration 018): its keyed hash per space, and the memory it became. */
export interface ImportSourceRow { space_id: string; source_key: Buffer; memory_id: string; imported_at: number }

export const importSourcesTable = {
  find: query<[string, Uint8Array], ImportSourceRow>('SELECT * FROM import_sources WHERE space_id = ? AND source_key = ?').get,
  /** a later import of the same item replaces the row of a memory that was erased since */
  put: query<[string, Uint8Array, string, number]>('INSERT OR REPLACE INTO import_sources (space_id, source_key, memory_id, imported_at) VALUES (?, ?, ?, ?)').run,
};
