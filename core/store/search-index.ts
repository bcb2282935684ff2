import { isBusy } from './busy';
import { withoutBusyWait, type Db } from './database';
import { dynamic, query, scalar } from './query';
import { Vocabulary } from './search-vocabulary';
import { COLUMN_WEIGHTS, columnsOf, countedOf, impactOf, type Impact, leadExpression, LEVELS, levelToken, tokenLevel, outsideBound, rareExpression, regionAbove, regionFor, wordSpans, type BoundStats } from './search-impact';

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
  /** only documents that match this impact-index expression (search_lead), or `rare` (a search_fts expression), ranked as the rest (see `leading`) */
  lead?: { lead: string | null; rare: string | null };
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

// bm25 column weights: title, body, tags, people, places (the impact levels are counted with the same)
const WEIGHTS = COLUMN_WEIGHTS.map((w) => w.toFixed(1)).join(', ');

const readersKey = (readers: string[] | null): string | null => (readers ? ',' + readers.join(',') + ',' : null);

/** Turns what a person types into a safe FTS5 query: every word must match, as a prefix. */
export function toFtsQuery(text: string): string | null {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu);
  if (!words || !words.length) return null;
  return words.slice(0, 16).map((w) => `"${w}"*`).join(' ');
}

/** The index format this code writes; a database whose rows were written with another is brought up to it once (`upgrade`). */
export const INDEX_FORMAT = 4; // 2: facets (created_at, occurred_at, labels; migration 016); 3: impact tiers and lengths (019); 4: 22 impact levels, marked by a letter

const findId = query<[string], { id: number }>('SELECT id FROM search_docs WHERE memory_id = ?');
const insertDoc = query<[string, string, string, string, number, string, string | null, number, string | null, string, number]>(
  'INSERT INTO search_docs (memory_id, space_id, band, type, updated_at, author, readers, created_at, occurred_at, labels, length) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const updateDoc = query<[string, string, string, number, string, string | null, number, string | null, string, number, number]>(
  'UPDATE search_docs SET space_id = ?, band = ?, type = ?, updated_at = ?, author = ?, readers = ?, created_at = ?, occurred_at = ?, labels = ?, length = ? WHERE id = ?');
const insertLead = query<[number | bigint, string]>('INSERT INTO search_lead (rowid, terms) VALUES (?, ?)');
const deleteLead = query<[number]>('DELETE FROM search_lead WHERE rowid = ?');
const clearLead = query('DELETE FROM search_lead');
// what the bound of `leading` reads: FTS5's own totals (the averages record, id 1 of its data
// table: varints of the row count and each column's token count, what bm25() divides), the
// shortest document (NULL first: a row without a length makes no bound), a word's span in the
// vocabulary, and how many documents hold a word at one level
const averagesRecord = query<[], { block: Buffer }>('SELECT block FROM search_fts_data WHERE id = 1');
const shortestDoc = query<[], { length: number | null }>('SELECT length FROM search_docs ORDER BY length LIMIT 1');
const prefixTerms = query<[string, string, number], { term: string; doc: number }>('SELECT term, doc FROM search_vocab WHERE term >= ? AND term <= ? LIMIT ?');
const countMatching = scalar<[string]>('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?');
const leadTokens = query<[string, string], { term: string; doc: number }>('SELECT term, doc FROM search_lead_vocab WHERE term >= ? AND term <= ?');
const quotedTerm = (t: string): string => `"${t.replace(/"/g, '""')}"`;
const totalChanges = query<[], { changes: number }>('SELECT total_changes() AS changes');
/** leaf pages per merge step (`mergeSegments`): ~1–3 ms at 100k memories; FTS5 ends a step at a term's boundary, so a very common term's doclist can make one longer */
export const MERGE_STEP_PAGES = 64;
// FTS5 takes the command's value as an integer literal only (a bound number is refused)
const mergeSteps = [
  query(`INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ${MERGE_STEP_PAGES})`),
  query(`INSERT INTO search_lead (search_lead, rank) VALUES ('merge', ${MERGE_STEP_PAGES})`),
];
/** What the bound reads of one query word (see `wordSpans`). */
type WordFound = Parameters<typeof wordSpans>[1][number];
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
/** what the per-state cache is keyed by: this connection's writes (any table: conservative) and other connections' commits */
const stateOf = (db: Db): string => `${totalChanges.get(db)?.changes ?? 0}:${dataVersion.get(db)?.data_version ?? 0}`;
const labelsKey = (m: IndexedMemory): string => JSON.stringify({ tags: m.tags, people: m.people, places: m.places });
const oldColumns = query<[number], StoredText>('SELECT title, body, tags, people, places FROM search_fts WHERE rowid = ?');
/** the format whose documents and text are this format's: only its impact tokens are written again (`upgrade`) */
const LEAD_ONLY_FROM = 3;
const UPGRADE_PAGE = 1000;
const textPage = query<[number, number], StoredText & { id: number }>('SELECT rowid AS id, title, body, tags, people, places FROM search_fts WHERE rowid > ? ORDER BY rowid LIMIT ?');
const textsOf = (n: number) => `SELECT rowid AS id, title, body, tags, people, places FROM search_fts WHERE rowid IN (${Array.from({ length: n }, () => '?').join(',')})`;

/** Scope (spaces and bands the reader may recall), readers (RED/BLACK), the optional filters and the impact restriction, as SQL. */
function whereOf(q: Omit<CandidateQuery, 'order' | 'limit' | 'offset'>): { where: string; params: unknown[] } {
  const params: unknown[] = q.fts ? [q.fts] : [];
  const scope = q.scopes.map((s) => {
    params.push(s.space_id, ...s.bands);
    return `(d.space_id = ? AND d.band IN (${s.bands.map(() => '?').join(',')}))`;
  }).join(' OR ');
  let where = `${q.fts ? 'search_fts MATCH ? AND ' : ''}(${scope}) AND (d.readers IS NULL OR instr(d.readers, ?) > 0)`;
  params.push(',' + q.member_id + ',');
  // '+': a filter on the one walk of the doclist (as a rowid constraint FTS5 would run the MATCH once per candidate)
  if (q.fts && q.lead) {
    const parts: string[] = [];
    if (q.lead.lead) { parts.push('SELECT rowid FROM search_lead WHERE search_lead MATCH ?'); params.push(q.lead.lead); }
    if (q.lead.rare) { parts.push('SELECT rowid FROM search_fts WHERE search_fts MATCH ?'); params.push(q.lead.rare); }
    where += parts.length ? ` AND +search_fts.rowid IN (${parts.join(' UNION ')})` : ' AND 0';
  }
  if (q.space_id) { where += ' AND d.space_id = ?'; params.push(q.space_id); }
  if (q.type) { where += ' AND d.type = ?'; params.push(q.type); }
  if (q.band) { where += ' AND d.band = ?'; params.push(q.band); }
  return { where, params };
}

/** SQLite's varints (what FTS5 writes its records with): 7 bits a byte, high bit = more, the ninth byte whole. */
function varints(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length;) {
    let v = 0;
    let k = 0;
    for (; k < 8 && i < b.length; k++) {
      const byte = b[i++]!;
      v = v * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    if (k === 8 && i < b.length) v = v * 256 + b[i++]!;
    out.push(v);
  }
  return out;
}

/** the highest code point: `w <= term <= w + LAST_CHAR` is every term beginning with w */
const LAST_CHAR = '\u{10FFFF}';
/** a ranked query of three words or more starts where the level documents reach LEAD_START_AND × need (one or two: CELLS_START, below) */
const LEAD_START = 4;
/** with two words or more the bound needs documents high in all of them: start lower, where one try is usually enough */
const LEAD_START_AND = 16;
/**
 * the first region of one (two) word(s) is estimated to hold CELLS_START(_AND) × need documents:
 * a retry walks every match again (the doclists and bm25's document counts, ~25 ms at 100k for
 * a word in every memory), a candidate more costs its bm25 (~1–3 µs), so start wide. Two words
 * started at 128 × need with format 3's nine levels; with 22 the cells are fine enough that 32 ×
 * need gave a lower p95 (four alternated probe runs at 100k, docs/PERFORMANCE.md)
 */
const CELLS_START = 32;
const CELLS_START_AND = 32;
/** a word that begins more terms than this is left to the full ranking */
const MAX_TERMS = 64;
const LEAD_SLACK = 32;

/**
 * The full-text index, kept in the vault's database (page-encrypted like everything in it): its
 * writes join the caller's transaction, so the index commits or rolls back with the read model
 * and is whole the moment the vault unlocks. `db` is asked for at each call: the database opens
 * at unlock and closes at lock.
 */
export class SearchIndex {
  /** the vocabulary of the open connection, kept in step with this index's writes (search-vocabulary.ts) */
  private readonly vocab = new Vocabulary();

  /**
   * What the bound reads of each query word (its terms, level tokens, documents), per connection,
   * until anything changes: fts5vocab counts a term's documents by walking its whole doclist
   * (~5 ms for a word in every memory at 100k), and the same words come back query after query.
   */
  private spans = new WeakMap<Db, { state: string; words: Map<string, WordFound | null>; other: Map<string, unknown> }>();

  constructor(private readonly db: () => Db) {}

  /**
   * A memory that is not in the index yet (a new one: its id was just made), with its impact
   * when the caller computed it already (an import's second thread); an existing id fails the
   * unit of work (memory_id is UNIQUE) rather than being indexed twice.
   */
  add(m: IndexedMemory, known?: Impact): void {
    const db = this.db();
    const columns = columnsOf(m);
    const impact = known ?? impactOf(columns);
    const id = insertDoc.run(db, m.memory_id, m.space_id, m.band, m.type, m.updated_at, m.author, readersKey(m.readers), m.created_at, m.occurred_at, labelsKey(m), impact.length).lastInsertRowid;
    insertFts.run(db, id, ...columns);
    if (impact.lead) insertLead.run(db, id, impact.lead);
    this.vocab.added(db, columns);
  }

  /** The vocabulary no longer holds the terms of the document at `id` (before it is deleted or replaced). */
  private forget(db: Db, id: number): void {
    if (!this.vocab.tracking(db)) return;
    const old = oldColumns.get(db, id);
    if (old) this.vocab.removed(db, [old.title, old.body, old.tags, old.people, old.places]);
  }

  upsert(m: IndexedMemory, known?: Impact): void {
    const db = this.db();
    const id = findId.get(db, m.memory_id)?.id;
    if (id === undefined) { this.add(m, known); return; }
    const impact = known ?? impactOf(columnsOf(m));
    updateDoc.run(db, m.space_id, m.band, m.type, m.updated_at, m.author, readersKey(m.readers), m.created_at, m.occurred_at, labelsKey(m), impact.length, id);
    this.forget(db, id);
    deleteFts.run(db, id);
    insertFts.run(db, id, ...columnsOf(m));
    this.vocab.added(db, columnsOf(m));
    deleteLead.run(db, id);
    if (impact.lead) insertLead.run(db, id, impact.lead);
  }

  /** With secure-delete on (migration 012), the entry's terms are overwritten, not just unlinked. */
  remove(memoryId: string): void {
    const db = this.db();
    const id = findId.get(db, memoryId)?.id;
    if (id === undefined) return;
    this.forget(db, id);
    deleteFts.run(db, id);
    deleteLead.run(db, id);
    deleteDoc.run(db, id);
  }

  /**
   * FTS5's merges of both tables' segments, between calls (migration 021 turned `automerge` off:
   * with it, a memory.create every few dozen at 100k merged 15–55 ms inside its own commit, for
   * each table). A step at a time, taking turns, until no level of either table holds `usermerge`
   * (4) segments or `budgetMs` has passed; a call arriving meanwhile waits for one step at most
   * past the budget (a step ends at a term's boundary: a very common term makes it longer).
   * Merging changes no document and no count, only how many segments a query reads; FTS5's
   * `crisismerge` (16 segments on a level) bounds a burst of writes with no merge between. While
   * another process holds the write lock it does nothing this time. Returns the steps that
   * merged anything.
   */
  mergeSegments(budgetMs: number, now: () => number = () => performance.now()): number {
    const db = this.db();
    const end = now() + budgetMs;
    // a merge moves total_changes() but no document, term or count: what the cache holds of the
    // state before it holds after it (else every tick that merged made the next searches read
    // every word's terms, levels and counts again: a few ms a word at 100k)
    const cache = this.spans.get(db);
    const carried = cache?.state === stateOf(db) ? cache : null;
    const version = dataVersion.get(db)?.data_version;
    const pending = new Set(mergeSteps);
    let steps = 0;
    try {
      withoutBusyWait(db, () => {
        while (pending.size && now() < end) {
          for (const step of [...pending]) {
            const before = totalChanges.get(db)?.changes ?? 0;
            step.run(db);
            // FTS5's own test of whether a merge found work: total_changes moves by 2 or more
            if ((totalChanges.get(db)?.changes ?? 0) - before < 2) pending.delete(step);
            else steps++;
            if (now() >= end) break;
          }
        }
      });
    } catch (e) {
      if (!isBusy(e)) throw e;
    }
    // only this connection's merges in between: another connection's commit (data_version) drops it as ever
    if (carried && dataVersion.get(db)?.data_version === version) carried.state = stateOf(db);
    return steps;
  }

  /** Whether the rows were written in this code's format (false: a data directory of an earlier release). */
  current(): boolean { return getState.get(this.db())?.format === INDEX_FORMAT; }

  /**
   * Brings an index written in an earlier format up to this one (call inside a transaction).
   * Format 3 differs only in its impact tokens (22 levels for 9), so those are written again from
   * the text the index holds, a page of documents at a time: at 100k memories seconds, where
   * filling everything again from the read model (decrypting every memory) took 81 s. Older
   * formats are filled again from `items`. Returns how many documents it rewrote.
   */
  upgrade(items: () => Iterable<IndexedMemory>, now: number): number {
    const db = this.db();
    if (getState.get(db)?.format !== LEAD_ONLY_FROM) return this.refill(items(), now);
    clearLead.run(db);
    let n = 0;
    for (let after = 0; ;) {
      const page = textPage.all(db, after, UPGRADE_PAGE);
      for (const t of page) {
        const { lead } = impactOf([t.title, t.body, t.tags, t.people, t.places]);
        if (lead) insertLead.run(db, t.id, lead);
      }
      n += page.length;
      if (page.length < UPGRADE_PAGE) break;
      after = page[page.length - 1]!.id;
    }
    setState.run(db, INDEX_FORMAT, now);
    return n;
  }

  /** Refills the index from scratch (call inside a transaction: readers never see it half-filled). */
  refill(items: Iterable<IndexedMemory>, now: number): number {
    const db = this.db();
    this.vocab.drop();
    clearFts.run(db);
    clearLead.run(db);
    clearDocs.run(db);
    let n = 0;
    for (const m of items) { this.add(m); n++; }
    setState.run(db, INDEX_FORMAT, now);
    return n;
  }

  get size(): number { return countDocs.get(this.db()); }

  /** One window of the documents in scope that match `fts` (or all of them), ordered; filtering and counting are the caller's. */
  candidates(q: CandidateQuery): Candidate[] {
    if (!q.scopes.length) return [];
    const { where, params } = whereOf(q);
    params.push(q.limit, q.offset);
    const cols = "d.id, d.memory_id, d.space_id, d.band, d.type, d.updated_at, d.author, coalesce(d.created_at, d.updated_at) AS created_at, d.occurred_at, coalesce(d.labels, '') AS labels";
    const sql = q.fts
      ? `SELECT ${cols}, -bm25(search_fts, ${WEIGHTS}) AS score FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE ${where}
         ORDER BY ${q.order === 'rank' ? `bm25(search_fts, ${WEIGHTS}), d.id` : 'd.updated_at DESC, d.memory_id DESC'} LIMIT ? OFFSET ?`
      : `SELECT ${cols}, 0 AS score FROM search_docs d WHERE ${where} ORDER BY d.updated_at DESC, d.memory_id DESC LIMIT ? OFFSET ?`;
    return dynamic<Candidate>(this.db(), sql).all(...params);
  }

  /**
   * How many documents in scope match `q.fts` and are shown to the reader in full (they are its
   * own, or of a band whose text every reader sees: `fullBands`), counting no further than `cap`.
   * Walks the doclist without ranking, and stops at the cap.
   */
  countShownInFull(q: Omit<CandidateQuery, 'order' | 'limit' | 'offset'> & { fts: string }, fullBands: string[], cap: number): number {
    if (!q.scopes.length) return 0;
    const { where, params } = whereOf(q);
    const full = fullBands.length ? ` OR d.band IN (${fullBands.map(() => '?').join(',')})` : '';
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE ${where} AND (d.author = ?${full}) LIMIT ?)`;
    return dynamic<{ n: number }>(this.db(), sql).get(...params, q.member_id, ...fullBands, cap)?.n ?? 0;
  }

  /**
   * The first documents of `q`'s ranked order (q.fts: every word of `words` as a prefix), found
   * through the impact index (search-impact.ts): the documents at the highest levels of the words
   * are ranked with bm25 like every match would be, and kept as far as they score above what any
   * other document can (outsideBound): that many are exactly the first of `candidates` with order
   * 'rank'. At least `need` of them, or null where the bound does not reach that far (then rank
   * every match). Scope, readers and filters are the same SQL as `candidates`.
   */
  leading(q: Omit<CandidateQuery, 'order' | 'limit' | 'offset' | 'lead'> & { fts: string }, words: string[], need: number): Candidate[] | null {
    const stats = this.boundStats(words);
    if (!stats) return null;
    const counted = stats.words.filter((w) => !w.ignored);
    const rare = rareExpression(stats.words);
    if (counted.length <= 2) return this.leadingByCells(q, stats, rare, need);
    // start from the highest level whose documents (summed over the words: at least their union)
    // reach LEAD_START × need: ranking those few is cheap, and usually enough score above the bound
    let level = 1;
    for (let l = LEVELS.length, docs = 0; l >= 1; l--) {
      for (const w of counted) docs += w.levelDocs[l] ?? 0;
      if (docs >= (counted.length > 1 ? LEAD_START_AND : LEAD_START) * need) { level = l; break; }
    }
    for (let tries = 0; tries < 3; tries++) {
      // strictly above, with room for rounding: a document outside may reach the bound itself
      const bound = (l: number) => outsideBound(stats, l) * (1 + 1e-9);
      const rows = this.candidates({ ...q, order: 'rank', lead: { lead: leadExpression(stats.words, level), rare }, limit: need + LEAD_SLACK, offset: 0 });
      let sure = 0;
      while (sure < rows.length && rows[sure]!.score > bound(level)) sure++;
      if (sure >= need) return rows.slice(0, sure);
      if (level === 1) return null;
      if (rows.length < need) { level--; continue; }
      // every candidate here is one at any lower level too, so the need-th best there scores at
      // least this: the highest level whose bound is below it is sure to be enough (else the lowest)
      const reach = rows[need - 1]!.score;
      let next = level - 1;
      while (next > 1 && bound(next) >= reach) next--;
      level = next;
    }
    return null;
  }

  /**
   * `leading` for one or two counted words: the candidates are a region of level cells (the
   * highest level of each word a document holds), chosen by the bound of each cell — a document
   * high in one word and low in the other is bounded by both, which a level shared by the words
   * cannot say. The first region is the smallest estimated to hold CELLS_START(_AND) × need
   * documents; a retry takes every cell whose bound reaches the need-th score found, which is
   * sure to be enough.
   */
  private leadingByCells(q: Omit<CandidateQuery, 'order' | 'limit' | 'offset' | 'lead'> & { fts: string }, stats: BoundStats, rare: string | null, need: number): Candidate[] | null {
    // (a small index is ranked whole sooner than by a region of most of it)
    let docs = Math.max(2 * need, Math.min((countedOf(stats).length > 1 ? CELLS_START_AND : CELLS_START) * need, stats.rows / 16));
    let region = regionFor(stats, docs);
    for (let tries = 0; tries < 3 && !region.all; tries++) {
      const rows = this.candidates({ ...q, order: 'rank', lead: { lead: region.lead, rare }, limit: need + LEAD_SLACK, offset: 0 });
      // strictly above, with room for rounding: a document outside may reach the bound itself
      const outside = region.outside * (1 + 1e-9);
      let sure = 0;
      while (sure < rows.length && rows[sure]!.score > outside) sure++;
      if (sure >= need) return rows.slice(0, sure);
      const before = region.cells;
      if (rows.length < need) { docs *= 8; region = regionFor(stats, docs); } else region = regionAbove(stats, rows[need - 1]!.score / (1 + 1e-9));
      if (region.cells <= before) return null;
    }
    return null;
  }

  /**
   * A value worked out from the index (`make`), kept per connection until anything changes, like
   * what the bound reads of a word: a query's typo alternatives scan the whole vocabulary, and
   * the same words come back query after query.
   */
  remembered<T>(key: string, make: () => T): T {
    const words = this.stateCache();
    if (words.other.has(key)) return words.other.get(key) as T;
    const v = make();
    words.other.set(key, v);
    return v;
  }

  /** The per-state cache of this connection: emptied when this connection writes anything or another one commits. */
  private stateCache(): { state: string; words: Map<string, WordFound | null>; other: Map<string, unknown> } {
    const db = this.db();
    const state = stateOf(db);
    let cache = this.spans.get(db);
    if (cache?.state !== state) this.spans.set(db, (cache = { state, words: new Map(), other: new Map() }));
    return cache;
  }

  /** A query word's terms, level tokens and documents, as of the index's present state (null: the full ranking answers). */
  private wordFound(w: string): WordFound | null {
    const db = this.db();
    const cache = this.stateCache();
    const hit = cache.words.get(w);
    if (hit !== undefined) return hit;
    const terms = prefixTerms.all(db, w, w + LAST_CHAR, MAX_TERMS + 1);
    let found: WordFound | null = null;
    // no term under it (or spelled unlike the index), or too many to bound: the full ranking answers
    if (terms.length && terms.length <= MAX_TERMS) {
      // the level tokens under it ("cfamily"), each level a range of its own
      const levels: { term: string; level: number; doc: number }[] = [];
      for (let l = 1; l <= LEVELS.length; l++) for (const t of leadTokens.all(db, levelToken(l, w), levelToken(l, w) + LAST_CHAR)) levels.push({ ...tokenLevel(t.term), doc: t.doc });
      // a word over several terms is in more documents than its most frequent term: count them
      // (one walk of its doclist), since idf drops to 1e-6 past half the rows and a bound from the
      // one term alone could be far above every score
      const hits = terms.length > 1 ? countMatching.get(db, `"${w}"*`) : undefined;
      found = { word: w, terms, levels, hits };
    }
    cache.words.set(w, found);
    return found;
  }

  /**
   * `words` as prefixes, AND, as an FTS5 expression of whole terms where a word begins only one
   * term ("family"* is "family" when nothing else begins so): the same rows and the same bm25
   * (one phrase, the same instances), but FTS5 merges a prefix's doclists into one before its
   * first row — the whole doclist, even under a LIMIT, and again for bm25's document count.
   */
  wholeTerms(words: string[]): string {
    return words.map((w) => {
      const terms = this.wordFound(w)?.terms;
      return terms?.length === 1 ? quotedTerm(terms[0]!.term) : `${quotedTerm(w)}*`;
    }).join(' AND ');
  }

  /**
   * An expression whose rows are some of `wholeTerms(words)`'s: each word by the one term under
   * it in the most documents, whole (null where a word has no term). Enough to show that a query
   * has many matches without merging a prefix's doclists.
   */
  someMatches(words: string[]): string | null {
    const out: string[] = [];
    for (const w of words) {
      const terms = this.wordFound(w)?.terms;
      if (!terms?.length) return null;
      out.push(quotedTerm(terms.reduce((a, t) => (t.doc > a.doc ? t : a)).term));
    }
    return out.join(' AND ');
  }

  /** FTS5's row count and average length (what its bm25 uses), the shortest document, and each word's span in the vocabulary. */
  private boundStats(words: string[]): BoundStats | null {
    const db = this.db();
    const block = averagesRecord.get(db)?.block;
    if (!block) return null;
    const [rows = 0, ...columns] = varints(block);
    const tokens = columns.reduce((a, x) => a + x, 0);
    const minLength = shortestDoc.get(db)?.length;
    if (!rows || !tokens || minLength === null || minLength === undefined) return null;
    const found: WordFound[] = [];
    for (const w of words) {
      const f = this.wordFound(w);
      if (!f) return null;
      found.push(f);
    }
    const spans = wordSpans(rows, found);
    if (!spans.some((s) => !s.ignored && (s.caps.length || s.rare.length))) return null;
    return { rows, avgdl: tokens / rows, minLength, words: spans };
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
   * over search_fts; migration 016), for typo tolerance: read from FTS5 once per connection and
   * kept in step with this index's writes; read again after another connection's commit (PRAGMA
   * data_version) or a rollback.
   */
  vocabulary(): ReadonlyMap<string, number> {
    const db = this.db();
    return this.vocab.get(db, dataVersion.get(db)?.data_version ?? 0, () => vocabRows.all(db));
  }

  /** Whether this connection holds the vocabulary already (its read is the one costly step of a first search). */
  vocabularyHeld(): boolean { return this.vocab.tracking(this.db()); }

  /** The terms of the vocabulary one edit of `word` can reach, by their first two characters (search-vocabulary.ts near), with their document counts. */
  vocabularyNear(word: string): { lists: readonly (readonly string[])[]; docCount: (term: string) => number } {
    this.vocabulary();
    return { lists: this.vocab.near(word), docCount: (t) => this.vocab.docCount(t) };
  }

  /** A unit of work rolled back: what the vocabulary counted of its writes is undone by reading it again. */
  rolledBack(): void { this.vocab.drop(); }
}
