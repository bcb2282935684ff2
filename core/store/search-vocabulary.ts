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

  /** The vocabulary of `db`'s index: `read` gives it from FTS5 when nothing is held for this connection and version. */
  get(db: Db, version: number, read: () => { term: string; doc: number }[]): ReadonlyMap<string, number> {
    if (this.terms && this.db === db && this.version === version) return this.terms;
    const terms = new Map<string, number>();
    for (const r of read()) terms.set(r.term, r.doc);
    this.db = db;
    this.version = version;
    this.terms = terms;
    return terms;
  }

  /** A document with these columns was written to `db`'s index. */
  added(db: Db, columns: readonly string[]): void {
    const terms = this.held(db);
    if (terms) for (const t of distinctTerms(columns)) terms.set(t, (terms.get(t) ?? 0) + 1);
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
  }

  /** Whether removed() needs the old columns (nothing is held: no need to read them). */
  tracking(db: Db): boolean { return this.held(db) !== null; }

  /** Forgets what is held (a refill, a rollback): the next get reads FTS5 again. */
  drop(): void { this.terms = null; this.db = null; }

  private held(db: Db): Map<string, number> | null { return this.db === db ? this.terms : null; }
}

function distinctTerms(columns: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const c of columns) for (const t of termsOf(c)) out.add(t);
  return out;
}
