import type { Db } from './database';
import { termsOf } from './search-impact';

/**
 * The full-text index's vocabulary (every term, and how many documents hold it), which typo
 * tolerance reads at each search of a word of five letters or more. Reading it from FTS5
 * (fts5vocab) walks every doclist of the index: ~1.2 s at 100k memories on a 2-core machine,
 * and it was read again after every write, so a search that followed a create paid it each time.
 * Here it is read once per connection and then kept in step with this process's own writes: a
 * written document adds one to each of its distinct terms, a replaced or removed one takes its
 * old terms away. A commit by another connection (PRAGMA data_version moves) or a rolled-back
 * unit of work (whose deltas were applied as it went) drops it, and the next search reads it again.
 *
 * The terms are counted with the index's own tokenizer rules as termsOf states them; where the
 * two could differ (rare scripts) a count is off by the documents concerned, which can reorder
 * or leave out a typo alternative, never change what an exact word matches.
 */
export class Vocabulary {
  private db: Db | null = null;
  private version = -1;
  private terms: Map<string, number> | null = null;
  /**
   * The terms by their first and by their second character, built when first asked after a read
   * and then kept in step with writes: a new term is appended, a term that leaves stays listed
   * (stale: its docCount is 0, so it is no alternative) until such entries are many, then they
   * are built again. Rebuilt at every write, they made each search that followed a create walk
   * the whole vocabulary twice.
   */
  private byLetter: { first: Map<string, string[]>; second: Map<string, string[]> } | null = null;
  /** list entries made stale or doubled since the lists were built (a term gone, or gone and back) */
  private stale = 0;

  /** The vocabulary of `db`'s index: `read` gives it from FTS5 when nothing is held for this connection and version. */
  get(db: Db, version: number, read: () => { term: string; doc: number }[]): ReadonlyMap<string, number> {
    if (this.terms && this.db === db && this.version === version) return this.terms;
    const terms = new Map<string, number>();
    for (const r of read()) terms.set(r.term, r.doc);
    this.db = db;
    this.version = version;
    this.terms = terms;
    this.byLetter = null;
    return terms;
  }

  /** How many documents hold `term` (0 when none does). */
  docCount(term: string): number { return this.terms?.get(term) ?? 0; }

  /**
   * Lists of the held terms (call get first) whose first or second character is one of `word`'s
   * first two: one edit (fuzzy.ts) keeps the first character, or moves the second into first
   * place, or the first into second, so no other term can be an alternative. About a sixth of the
   * vocabulary for a Latin-script word, given as the lists themselves (not copied): a term may be
   * in two of them, or listed though it left (its docCount is then 0).
   */
  near(word: string): readonly (readonly string[])[] {
    const terms = this.terms;
    const a = word[0];
    if (!terms || a === undefined) return [];
    const { first, second } = this.letters(terms);
    const b = word[1];
    const out: (readonly string[])[] = [];
    for (const c of b === undefined || b === a ? [a] : [a, b]) for (const m of [first, second]) { const l = m.get(c); if (l) out.push(l); }
    return out;
  }

  private letters(terms: Map<string, number>): { first: Map<string, string[]>; second: Map<string, string[]> } {
    if (this.byLetter) return this.byLetter;
    const first = new Map<string, string[]>();
    const second = new Map<string, string[]>();
    const lists = { first, second };
    for (const t of terms.keys()) listTerm(lists, t);
    this.stale = 0;
    return (this.byLetter = lists);
  }

  /** A document with these columns was written to `db`'s index. */
  added(db: Db, columns: readonly string[]): void {
    const terms = this.held(db);
    if (!terms) return;
    for (const t of distinctTerms(columns)) {
      const n = terms.get(t) ?? 0;
      terms.set(t, n + 1);
      if (n === 0 && this.byLetter) listTerm(this.byLetter, t);
    }
  }

  /** A document with these columns left `db`'s index (replaced or removed). */
  removed(db: Db, columns: readonly string[]): void {
    const terms = this.held(db);
    if (!terms) return;
    for (const t of distinctTerms(columns)) {
      const n = (terms.get(t) ?? 0) - 1;
      if (n > 0) terms.set(t, n);
      else { terms.delete(t); this.stale++; }
    }
    // many writes and no search between them (a synced run of edits): the lists go, not grow
    if (this.byLetter && this.stale > STALE_FLOOR + terms.size / 4) this.byLetter = null;
  }

  /** Whether removed() needs the old columns (nothing is held: no need to read them). */
  tracking(db: Db): boolean { return this.held(db) !== null; }

  /** Forgets what is held (a refill, a rollback): the next get reads FTS5 again. */
  drop(): void { this.terms = null; this.db = null; this.byLetter = null; }

  private held(db: Db): Map<string, number> | null { return this.db === db ? this.terms : null; }
}

/** stale list entries tolerated, beyond a quarter of the vocabulary, before the lists are dropped (built again at the next search) */
const STALE_FLOOR = 1024;

/** Lists a term under its first and under its second character. */
function listTerm(lists: { first: Map<string, string[]>; second: Map<string, string[]> }, t: string): void {
  listUnder(lists.first, t[0], t);
  listUnder(lists.second, t[1], t);
}

function listUnder(m: Map<string, string[]>, k: string | undefined, t: string): void {
  if (k === undefined) return;
  const l = m.get(k);
  if (l) l.push(t); else m.set(k, [t]);
}

function distinctTerms(columns: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const c of columns) for (const t of termsOf(c)) out.add(t);
  return out;
}
