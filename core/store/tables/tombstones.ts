import { query } from '../query';

/** Memories erased in a space (TOMBSTONE_PROPAGATE): an entry of theirs that arrives later is purged on arrival. */
export const tombstonesTable = {
  add: query<[string, string, number]>('INSERT OR IGNORE INTO tombstones (space_id, memory_id, erased_at) VALUES (?, ?, ?)').run,
  has: query<[string, string], { one: 1 }>('SELECT 1 AS one FROM tombstones WHERE space_id = ? AND memory_id = ?').get,
};
