import type { Db } from './database';
import { dynamic, query, scalar } from './query';

export interface IndexedMemory {
  memory_id: string; space_id: string; band: string; type: string; updated_at: number; author: string;
  /** who may find it by its content: null = every member with the band; else a list of member ids */
  readers: string[] | null;
  title: string; body: string; tags: string[]; people: string[]; places: string[];
  /** the facets filters and sorts read (migration 016): when it was written, the day it happened as written */
  created_at: number; occurred_at: string | null;
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

/**
 * A document that may be shown, without its text, with its facets: `labels` is the JSON of its
 * label lists ({tags, people, places}; parse it with `labelsOf`, only when a filter needs it).
 */
export interface Candidate {
  id: number; memory_id: string; space_id: string; band: string; type: string; updated_at: number; author: string; score: number;
  created_at: number; occurred_at: string | null; labels: string;
}

export interface Labels { tags: string[]; people: string[]; places: string[] }

/** A candidate's label lists (an entry of an earlier format has none). */
export function labelsOf(c: Pick<Candidate, 'labels'>): Labels {
  const l = c.labels ? (JSON.parse(c.labels) as Partial<Labels>) : {};
  return { tags: l.tags ?? [], people: l.people ?? [], places: l.places ?? [] };
}

export interface StoredText { title: string; body: string; tags: string; people: string; places: string }

// bm25 column weights: title, body, tags, people, places
const WEIGHTS = '5.0, 1.0, 3.0, 3.0, 2.0';

const readersKey = (readers: string[] | null): string | null => (readers ? ',' + readers.join(',') + ',' : null);

/** Turns what a person types into a safe FTS5 query: every word must match, as a prefix. */
export function toFtsQuery(text: string): string | null {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu);
  if (!words || !words.length) return null;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

/** The index format this code writes; a database whose rows were written with another is refilled once. */
export const INDEX_FORMAT = 2; // 2: facets (created_at, occurred_at, labels; migration 016)

const findId = query<[string], { id: number }>('SELECT id FROM search_docs WHERE memory_id = ?');
const insertDoc = query<[string, string, string, string, number, string, string | null, number, string | null, string]>(
  'INSERT INTO search_docs (memory_id, space_id, band, type, updated_at, author, readers, created_at, occurred_at, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const updateDoc = query<[string, string, string, number, string, string | null, number, string | null, string, number]>(
  'UPDATE search_docs SET space_id = ?, band = ?, type = ?, updated_at = ?, author = ?, readers = ?, created_at = ?, occurred_at = ?, labels = ? WHERE id = ?');
const insertFts = query<[number | bigint, string, string, string, string, string]>(
  'INSERT INTO search_fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
const deleteFts = query<[number]>('DELETE FROM search_fts WHERE rowid = ?');
const deleteDoc = query<[number]>('DELETE FROM search_docs WHERE id = ?');
const countDocs = scalar('SELECT COUNT(*) FROM search_docs');
const clearDocs = query('DELETE FROM search_docs');
const clearFts = query('DELETE FROM search_fts');
const getState = query<[], { format: number; built_at: number }>('SELECT format, built_at FROM search_state WHERE id = 1');
const setState = query<[number, number]>('INSERT INTO search_state (id, format, built_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET format = excluded.format, built_at = excluded.built_at');
const matchingIds = query<[string], { id: number }>('SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ?');
const vocabRows = query<[], { term: string; doc: number }>('SELECT term, doc FROM search_vocab');
const dataVersion = query<[], { data_version: number }>('PRAGMA data_version');
const labelsKey = (m: IndexedMemory): string => JSON.stringify({ tags: m.tags, people: m.people, places: m.places });
const textsOf = (n: number) => `SELECT rowid AS id, title, body, tags, people, places FROM search_fts WHERE rowid IN (${Array.from({ length: n }, () => '?').join(',')})`;

/**
 * The full-text index, kept in the vault's database (page-encrypted like everything in it): its
 * writes join the caller's transaction, so the index commits or rolls back with the read model
 * and is whole the moment the vault unlocks. `db` is asked for at each call: the database opens
 * at unlock and closes at lock.
 */
export class SearchIndex {
  /** bumps on every write through this index (other connections' commits show in data_version) */
  private generation = 0;
  /** the vocabulary, per connection (it closes at lock, and the cache goes with it), read again only after a write */
  private vocab = new WeakMap<Db, { generation: number; version: number; terms: { term: string; doc: number }[] }>();

  constructor(private readonly db: () => Db) {}

  private insert(m: IndexedMemory): void {
    const db = this.db();
    const id = insertDoc.run(db, m.memory_id, m.space_id, m.band, m.type, m.updated_at, m.author, readersKey(m.readers), m.created_at, m.occurred_at, labelsKey(m)).lastInsertRowid;
    insertFts.run(db, id, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
  }

  upsert(m: IndexedMemory): void {
    const db = this.db();
    this.generation++;
    const id = findId.get(db, m.memory_id)?.id;
    if (id === undefined) { this.insert(m); return; }
    updateDoc.run(db, m.space_id, m.band, m.type, m.updated_at, m.author, readersKey(m.readers), m.created_at, m.occurred_at, labelsKey(m), id);
    deleteFts.run(db, id);
    insertFts.run(db, id, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
  }

  /** With secure-delete on (migration 012), the entry's terms are overwritten, not just unlinked. */
  remove(memoryId: string): void {
    const db = this.db();
    this.generation++;
    const id = findId.get(db, memoryId)?.id;
    if (id === undefined) return;
    deleteFts.run(db, id);
    deleteDoc.run(db, id);
  }

  /** Whether the rows were written in this code's format (false: a data directory of an earlier release). */
  current(): boolean { return getState.get(this.db())?.format === INDEX_FORMAT; }

  /** Refills the index from scratch (call inside a transaction: readers never see it half-filled). */
  refill(items: Iterable<IndexedMemory>, now: number): number {
    const db = this.db();
    this.generation++;
    clearFts.run(db);
    clearDocs.run(db);
    let n = 0;
    for (const m of items) { this.insert(m); n++; }
    setState.run(db, INDEX_FORMAT, now);
    return n;
  }

  get size(): number { return countDocs.get(this.db()); }

  /** One window of the documents in scope that match `fts` (or all of them), ordered; filtering and counting are the caller's. */
  candidates(q: CandidateQuery): Candidate[] {
    if (!q.scopes.length) return [];
    const params: unknown[] = q.fts ? [q.fts] : [];
    const scope = q.scopes.map((s) => {
      params.push(s.space_id, ...s.bands);
      return `(d.space_id = ? AND d.band IN (${s.bands.map(() => '?').join(',')}))`;
    }).join(' OR ');
    let where = `${q.fts ? 'search_fts MATCH ? AND ' : ''}(${scope}) AND (d.readers IS NULL OR instr(d.readers, ?) > 0)`;
    params.push(',' + q.member_id + ',');
    if (q.space_id) { where += ' AND d.space_id = ?'; params.push(q.space_id); }
    if (q.type) { where += ' AND d.type = ?'; params.push(q.type); }
    if (q.band) { where += ' AND d.band = ?'; params.push(q.band); }
    params.push(q.limit, q.offset);
    const cols = "d.id, d.memory_id, d.space_id, d.band, d.type, d.updated_at, d.author, coalesce(d.created_at, d.updated_at) AS created_at, d.occurred_at, coalesce(d.labels, '') AS labels";
    const sql = q.fts
      ? `SELECT ${cols}, -bm25(search_fts, ${WEIGHTS}) AS score FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE ${where}
         ORDER BY ${q.order === 'rank' ? `bm25(search_fts, ${WEIGHTS}), d.id` : 'd.updated_at DESC, d.memory_id DESC'} LIMIT ? OFFSET ?`
      : `SELECT ${cols}, 0 AS score FROM search_docs d WHERE ${where} ORDER BY d.updated_at DESC, d.memory_id DESC LIMIT ? OFFSET ?`;
    return dynamic<Candidate>(this.db(), sql).all(...params);
  }

  /** The rowids of every document matching `fts`, whatever its scope (the caller intersects). */
  matching(fts: string): Set<number> {
    return new Set(matchingIds.all(this.db(), fts).map((r) => r.id));
  }

  /** The stored text of these documents, by rowid. */
  texts(ids: number[]): Map<number, StoredText> {
    if (!ids.length) return new Map();
    const rows = dynamic<StoredText & { id: number }>(this.db(), textsOf(ids.length)).all(...ids);
    return new Map(rows.map(({ id, ...t }) => [id, t]));
  }

  /**
   * Every indexed term with the number of documents holding it (search_vocab, an fts5vocab table
   * over search_fts; migration 016), for typo tolerance. Read again only after a write: one of
   * this index's, or a commit of another connection (PRAGMA data_version).
   */
  vocabulary(): { term: string; doc: number }[] {
    const db = this.db();
    const version = dataVersion.get(db)?.data_version ?? 0;
    const cached = this.vocab.get(db);
    if (cached && cached.generation === this.generation && cached.version === version) return cached.terms;
    const terms = vocabRows.all(db);
    this.vocab.set(db, { generation: this.generation, version, terms });
    return terms;
  }
}
