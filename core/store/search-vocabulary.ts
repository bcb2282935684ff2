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
  /** the terms by their first and by their second character, made when first asked after a change (near) */
  private byLetter: { first: Map<string, string[]>; second: Map<string, string[]> } | null = null;

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

  /**
   * The held terms (call get first) whose first or second character is one of `word`'s first two:
   * one edit (fuzzy.ts) keeps the first character, or moves the second into first place, or the
   * first into second, so no other term can be an alternative. About a sixth of the vocabulary
   * for a Latin-script word, instead of all of it at every search of a new word.
   */
  near(word: string): [string, number][] {
    const terms = this.terms;
    if (!terms) return [];
    if (!this.byLetter) {
      const first = new Map<string, string[]>();
      const second = new Map<string, string[]>();
      const push = (m: Map<string, string[]>, k: string | undefined, t: string) => { if (k === undefined) return; const l = m.get(k); if (l) l.push(t); else m.set(k, [t]); };
      for (const t of terms.keys()) { push(first, t[0], t); push(second, t[1], t); }
      this.byLetter = { first, second };
    }
    const { first, second } = this.byLetter;
    const out = new Map<string, number>();
    for (const c of new Set([word[0], word[1]])) {
      if (c === undefined) continue;
      for (const t of [...(first.get(c) ?? []), ...(second.get(c) ?? [])]) out.set(t, terms.get(t) ?? 0);
    }
    return [...out];
  }

  /** A document with these columns was written to `db`'s index. */
  added(db: Db, columns: readonly string[]): void {
    const terms = this.held(db);
    if (!terms) return;
    for (const t of distinctTerms(columns)) terms.set(t, (terms.get(t) ?? 0) + 1);
    this.byLetter = null;
  }

  /** A document with these columns left `db`'s index (replaced or removed). */
  removed(db: Db, columns: readonly string[]): void {
    const terms = this.held(db);
    if (!terms) return;
    for (const t of distinctTerms(columns)) {
      const n = (terms.get(t) ?? 0) - 1;
      if (n > 0) terms.set(t, n);
      else terms.delete(t);
    }
    this.byLetter = null;
  }

  /** Whether removed() needs the old columns (nothing is held: no need to read them). */
  tracking(db: Db): boolean { return this.held(db) !== null; }

  /** Forgets what is held (a refill, a rollback): the next get reads FTS5 again. */
  drop(): void { this.terms = null; this.db = null; this.byLetter = null; }

  private held(db: Db): Map<string, number> | null { return this.db === db ? this.terms : null; }
}

function distinctTerms(columns: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const c of columns) for (const t of termsOf(c)) out.add(t);
  return out;
}
