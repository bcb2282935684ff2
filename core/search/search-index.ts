import Database from 'better-sqlite3';

export interface IndexedMemory {
  memory_id: string; space_id: string; band: string; type: string; updated_at: number; author: string;
  /** who may find it by its content: null = every member with the band; else a list of member ids */
  readers: string[] | null;
  title: string; body: string; tags: string[]; people: string[]; places: string[];
}

export interface SearchQuery {
  query: string;
  /** the spaces the actor may search, with the bands their role may read there */
  scopes: { space_id: string; bands: string[] }[];
  member_id: string;
  space_id?: string; type?: string; band?: string; limit: number;
}

export interface RawHit { memory_id: string; space_id: string; band: string; type: string; updated_at: number; author: string; title: string; snippet: string; score: number }

/** Turns what a person types into a safe FTS5 query: every word must match, as a prefix. */
export function toFtsQuery(text: string): string | null {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu);
  if (!words || !words.length) return null;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

/**
 * Full-text index held in memory only (an in-memory SQLite FTS5 database): built from the
 * decrypted read model at unlock, dropped at lock, never written to disk.
 */
export class SearchIndex {
  private db = new Database(':memory:');
  private upsertDoc;
  private upsertFts;
  private deleteDoc;
  private deleteFts;
  private findId;

  constructor() {
    this.db.exec(`
      CREATE TABLE docs (id INTEGER PRIMARY KEY, memory_id TEXT NOT NULL UNIQUE, space_id TEXT NOT NULL, band TEXT NOT NULL,
        type TEXT NOT NULL, updated_at INTEGER NOT NULL, author TEXT NOT NULL, readers TEXT);
      CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2');`);
    this.findId = this.db.prepare('SELECT id FROM docs WHERE memory_id = ?').pluck();
    this.upsertDoc = this.db.prepare(`INSERT INTO docs (memory_id, space_id, band, type, updated_at, author, readers) VALUES (@memory_id, @space_id, @band, @type, @updated_at, @author, @readers)
      ON CONFLICT(memory_id) DO UPDATE SET space_id = excluded.space_id, band = excluded.band, type = excluded.type, updated_at = excluded.updated_at, author = excluded.author, readers = excluded.readers RETURNING id`).pluck();
    this.upsertFts = this.db.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
    this.deleteFts = this.db.prepare('DELETE FROM fts WHERE rowid = ?');
    this.deleteDoc = this.db.prepare('DELETE FROM docs WHERE id = ?');
  }

  upsert(m: IndexedMemory): void {
    const id = this.upsertDoc.get({ memory_id: m.memory_id, space_id: m.space_id, band: m.band, type: m.type, updated_at: m.updated_at, author: m.author, readers: m.readers ? ',' + m.readers.join(',') + ',' : null }) as number;
    this.deleteFts.run(id);
    this.upsertFts.run(id, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
  }

  remove(memoryId: string): void {
    const id = this.findId.get(memoryId) as number | undefined;
    if (id === undefined) return;
    this.deleteFts.run(id);
    this.deleteDoc.run(id);
  }

  /** Bulk loading into an empty index in one transaction (unlock): plain inserts, nothing to replace. */
  loadAll(items: Iterable<IndexedMemory>): number {
    const insertDoc = this.db.prepare('INSERT INTO docs (memory_id, space_id, band, type, updated_at, author, readers) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let n = 0;
    this.db.transaction(() => {
      for (const m of items) {
        const id = insertDoc.run(m.memory_id, m.space_id, m.band, m.type, m.updated_at, m.author, m.readers ? ',' + m.readers.join(',') + ',' : null).lastInsertRowid;
        this.upsertFts.run(id, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
        n++;
      }
    })();
    return n;
  }

  get size(): number { return (this.db.prepare('SELECT COUNT(*) FROM docs').pluck().get() as number); }

  search(q: SearchQuery): RawHit[] {
    const fts = toFtsQuery(q.query);
    if (!fts || !q.scopes.length) return [];
    const params: unknown[] = [fts];
    const scope = q.scopes.map((s) => {
      params.push(s.space_id, ...s.bands);
      return `(d.space_id = ? AND d.band IN (${s.bands.map(() => '?').join(',')}))`;
    }).join(' OR ');
    let where = `fts MATCH ? AND (${scope}) AND (d.readers IS NULL OR instr(d.readers, ?) > 0)`;
    params.push(',' + q.member_id + ',');
    if (q.space_id) { where += ' AND d.space_id = ?'; params.push(q.space_id); }
    if (q.type) { where += ' AND d.type = ?'; params.push(q.type); }
    if (q.band) { where += ' AND d.band = ?'; params.push(q.band); }
    params.push(q.limit);
    return this.db.prepare(`SELECT d.memory_id, d.space_id, d.band, d.type, d.updated_at, d.author, fts.title AS title,
        snippet(fts, -1, '[', ']', '…', 12) AS snippet, -bm25(fts, 5.0, 1.0, 3.0, 3.0, 2.0) AS score
      FROM fts JOIN docs d ON d.id = fts.rowid WHERE ${where} ORDER BY bm25(fts, 5.0, 1.0, 3.0, 3.0, 2.0) LIMIT ?`).all(...params) as RawHit[];
  }

  close(): void { this.db.close(); }
}
