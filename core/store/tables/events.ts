import type { Db } from '../database';
import { dynamic, query } from '../query';

/** Every signed envelope, as canonical JSON. */
export interface EventFilter { topic?: string; space_id?: string; after?: string; limit: number }

export const eventsTable = {
  insert: query<[string, string, string | null, string]>('INSERT INTO events (id, topic, space_id, envelope) VALUES (?, ?, ?, ?)').run,
  list: (db: Db, f: EventFilter): string[] => {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.topic) { where.push('topic = ?'); params.push(f.topic); }
    if (f.space_id) { where.push('space_id = ?'); params.push(f.space_id); }
    if (f.after) { where.push('id > ?'); params.push(f.after); }
    return dynamic<{ envelope: string }>(db, `SELECT envelope FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ?`)
      .all(...params, f.limit).map((r) => r.envelope);
  },
};
