import Database, { type Statement } from 'better-sqlite3-multiple-ciphers';

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

/** What `candidates` asks for: an FTS5 expression (null: every doc in scope), the same scope rules as `search`, an order and a window. */
export interface CandidateQuery {
  fts: string | null;
  scopes: { space_id: string; bands: string[] }[];
  member_id: string;
  space_id?: string; type?: string; band?: string;
  /** rank: bm25 (fts only); updated: newest update first */
  order: 'rank' | 'updated';
  limit: number; offset: number;
}

/** A document that may be shown, without its text. */
export interface Candidate { id: number; memory_id: string; space_id: string; band: string; type: string; updated_at: number; author: string; score: number }

export interface StoredText { title: string; body: string; tags: string; people: string; places: string }

/** A ranked hit with its stored text, from which the caller makes the snippet (only for the page it returns). */
export interface RawHit { memory_id: string; space_id: string; band: string; type: string; updated_at: number; author: string; score: number; text: { title: string; body: string; tags: string; people: string; places: string } }

// bm25 column weights: title, body, tags, people, places
const WEIGHTS = '5.0, 1.0, 3.0, 3.0, 2.0';

const readersKey = (readers: string[] | null): string | null => (readers ? ',' + readers.join(',') + ',' : null);

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
  private insertDoc;
  private updateDoc;
  private insertFts;
  private deleteDoc;
  private deleteFts;
  private findId;
  private pendingWrites = 0;
  private statements = new Map<string, Statement>();

  // search SQL varies only with the number of scopes and filters: prepare each shape once
  private prepared(text: string): Statement {
    let st = this.statements.get(text);
    if (!st) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  constructor() {
    this.db.exec(`
      CREATE TABLE docs (id INTEGER PRIMARY KEY, memory_id TEXT NOT NULL UNIQUE, space_id TEXT NOT NULL, band TEXT NOT NULL,
        type TEXT NOT NULL, updated_at INTEGER NOT NULL, author TEXT NOT NULL, readers TEXT);
      CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2');
      CREATE INDEX docs_updated ON docs (updated_at, memory_id);`);
    this.findId = this.db.prepare('SELECT id FROM docs WHERE memory_id = ?').pluck();
    this.insertDoc = this.db.prepare('INSERT INTO docs (memory_id, space_id, band, type, updated_at, author, readers) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.updateDoc = this.db.prepare('UPDATE docs SET space_id = ?, band = ?, type = ?, updated_at = ?, author = ?, readers = ? WHERE id = ?');
    this.insertFts = this.db.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
    this.deleteFts = this.db.prepare('DELETE FROM fts WHERE rowid = ?');
    this.deleteDoc = this.db.prepare('DELETE FROM docs WHERE id = ?');
  }

  /**
   * Writes stay in one open transaction, committed every few thousand writes: the index needs no
   * durability (it is rebuilt at every unlock), reads on this connection see uncommitted rows,
   * and FTS5 merges segments per commit — a commit per memory cost ~10× the insert itself.
   */
  private write<T>(fn: () => T): T {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    const r = fn();
    if (++this.pendingWrites >= 5000) { this.db.exec('COMMIT'); this.pendingWrites = 0; }
    return r;
  }

  private insert(m: IndexedMemory): void {
    const id = this.insertDoc.run(m.memory_id, m.space_id, m.band, m.type, m.updated_at, m.author, readersKey(m.readers)).lastInsertRowid;
    this.insertFts.run(id, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
  }

  upsert(m: IndexedMemory): void {
    this.write(() => {
      const id = this.findId.get(m.memory_id) as number | undefined;
      if (id === undefined) { this.insert(m); return; }
      this.updateDoc.run(m.space_id, m.band, m.type, m.updated_at, m.author, readersKey(m.readers), id);
      this.deleteFts.run(id);
      this.insertFts.run(id, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
    });
  }

  remove(memoryId: string): void {
    this.write(() => {
      const id = this.findId.get(memoryId) as number | undefined;
      if (id === undefined) return;
      this.deleteFts.run(id);
      this.deleteDoc.run(id);
    });
  }

  /** Bulk loading into an empty index (unlock): plain inserts, one commit. */
  loadAll(items: Iterable<IndexedMemory>): number {
    let n = 0;
    this.db.transaction(() => { for (const m of items) { this.insert(m); n++; } })();
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
    // Rank first, carrying only ids through the sort; snippets are made for the page alone.
    const top = this.prepared(`SELECT d.id, d.memory_id, d.space_id, d.band, d.type, d.updated_at, d.author, -bm25(fts, ${WEIGHTS}) AS score
      FROM fts JOIN docs d ON d.id = fts.rowid WHERE ${where} ORDER BY bm25(fts, ${WEIGHTS}) LIMIT ?`).all(...params) as (Omit<RawHit, 'title' | 'snippet'> & { id: number })[];
    if (!top.length) return [];
    const texts = new Map((this.prepared(`SELECT rowid AS id, title, body, tags, people, places FROM fts WHERE rowid IN (${top.map(() => '?').join(',')})`)
      .all(...top.map((t) => t.id)) as { id: number; title: string; body: string; tags: string; people: string; places: string }[]).map((t) => [t.id, t]));
    const none = { title: '', body: '', tags: '', people: '', places: '' };
    return top.map(({ id, ...hit }) => {
      const t = texts.get(id);
      return { ...hit, text: t ? { title: t.title, body: t.body, tags: t.tags, people: t.people, places: t.places } : none };
    });
  }

  /** One window of the documents in scope that match `fts` (or all of them), ordered; filtering and counting are the caller's. */
  candidates(q: CandidateQuery): Candidate[] {
    if (!q.scopes.length) return [];
    const params: unknown[] = q.fts ? [q.fts] : [];
    const scope = q.scopes.map((s) => {
      params.push(s.space_id, ...s.bands);
      return `(d.space_id = ? AND d.band IN (${s.bands.map(() => '?').join(',')}))`;
    }).join(' OR ');
    let where = `${q.fts ? 'fts MATCH ? AND ' : ''}(${scope}) AND (d.readers IS NULL OR instr(d.readers, ?) > 0)`;
    params.push(',' + q.member_id + ',');
    if (q.space_id) { where += ' AND d.space_id = ?'; params.push(q.space_id); }
    if (q.type) { where += ' AND d.type = ?'; params.push(q.type); }
    if (q.band) { where += ' AND d.band = ?'; params.push(q.band); }
    params.push(q.limit, q.offset);
    const cols = 'd.id, d.memory_id, d.space_id, d.band, d.type, d.updated_at, d.author';
    const sql = q.fts
      ? `SELECT ${cols}, -bm25(fts, ${WEIGHTS}) AS score FROM fts JOIN docs d ON d.id = fts.rowid WHERE ${where}
         ORDER BY ${q.order === 'rank' ? `bm25(fts, ${WEIGHTS}), d.id` : 'd.updated_at DESC, d.memory_id DESC'} LIMIT ? OFFSET ?`
      : `SELECT ${cols}, 0 AS score FROM docs d WHERE ${where} ORDER BY d.updated_at DESC, d.memory_id DESC LIMIT ? OFFSET ?`;
    return this.prepared(sql).all(...params) as Candidate[];
  }

  /** The rowids of every document matching `fts`, whatever its scope (the caller intersects). */
  matching(fts: string): Set<number> {
    return new Set(this.prepared('SELECT rowid FROM fts WHERE fts MATCH ?').pluck().all(fts) as number[]);
  }

  /** The stored text of these documents, by rowid. */
  texts(ids: number[]): Map<number, StoredText> {
    if (!ids.length) return new Map();
    const rows = this.prepared(`SELECT rowid AS id, title, body, tags, people, places FROM fts WHERE rowid IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as (StoredText & { id: number })[];
    return new Map(rows.map(({ id, ...t }) => [id, t]));
  }

  /** Every indexed term with the number of documents holding it (the FTS5 vocabulary), for typo tolerance. */
  vocabulary(): { term: string; doc: number }[] {
    this.db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, 'row')");
    return this.prepared('SELECT term, doc FROM fts_vocab').all() as { term: string; doc: number }[];
  }

  close(): void { this.db.close(); }
}
