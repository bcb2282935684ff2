import { isBusy } from './busy';
import type { Db } from './database';
import { query } from './query';

/**
 * FTS5 merges an index's segments as it goes: with its default `automerge`, the commit that
 * takes a table's write counter past a multiple of 64 leaf pages merges up to 64 pages per level
 * (~8 levels at 100k memories) before it returns. Every ~20th memory.create paid that inside the
 * write the person waits for, twice (search_fts and search_lead): 15–55 ms, p99 17–19 ms at 100k
 * against 3.8–4.0 ms without it (`tests/bench/create-probe.ts`). Migration 021 turns
 * `automerge` off on both tables, and the scheduler's tick merges here, between calls, as it
 * checkpoints the WAL.
 *
 * A burst of writes with no tick between them (an import, a CLI call) is still bounded by FTS5's
 * `crisismerge`: a level that reaches 16 segments is merged in the write that makes it so. Merging
 * changes no document and no count: only how many segments a query reads.
 */
const TABLES = ['search_fts', 'search_lead'] as const;

/** what one tick (once a second) may spend merging: a call arriving meanwhile waits at most this and one step */
export const TICK_MERGE_BUDGET_MS = 20;

/** leaf pages per step: one step is a transaction of ~1–3 ms at 100k memories */
export const MERGE_STEP_PAGES = 64;

// FTS5 takes the command's value as an integer literal only (a bound number is refused)
const mergeStep = Object.fromEntries(TABLES.map((t) => [t, query(`INSERT INTO ${t} (${t}, rank) VALUES ('merge', ${MERGE_STEP_PAGES})`)]));
const totalChanges = query<[], { n: number }>('SELECT total_changes() AS n');

/**
 * Merges the tables' segments a step at a time, taking turns, until neither has a level of
 * `usermerge` (4) segments left or `budgetMs` has passed. Returns the steps that merged anything.
 * A call that arrives meanwhile waits for one step at most past the budget. Merging can wait:
 * while another process (a CLI call) holds the write lock, it does nothing this time instead of
 * waiting out busy_timeout on the thread that answers calls.
 */
export function mergeSearchSegments(db: Db, budgetMs: number, now: () => number = () => performance.now()): number {
  const end = now() + budgetMs;
  const pending = new Set<string>(TABLES);
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  let steps = 0;
  db.pragma('busy_timeout = 0');
  try {
    while (pending.size && now() < end) {
      for (const t of [...pending]) {
        const before = totalChanges.get(db)?.n ?? 0;
        mergeStep[t]!.run(db);
        // FTS5's own test of whether a merge found work: total_changes moves by 2 or more
        if ((totalChanges.get(db)?.n ?? 0) - before < 2) pending.delete(t);
        else steps++;
        if (now() >= end) break;
      }
    }
  } catch (e) {
    if (!isBusy(e)) throw e;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  return steps;
}
