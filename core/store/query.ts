import type { RunResult, Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database';

/**
 * One typed SQL interface: a statement declared once with its parameter and row types, compiled
 * once per connection (preparing costs more than running a small query). Call sites never cast
 * rows; the row type lives beside the SQL in the table's own module (store/tables/).
 */
export interface Query<P extends unknown[], R> {
  readonly text: string;
  get(db: Db, ...params: P): R | undefined;
  all(db: Db, ...params: P): R[];
  iterate(db: Db, ...params: P): IterableIterator<R>;
  run(db: Db, ...params: P): RunResult;
}

const caches = new WeakMap<Db, Map<string, Statement>>();

function prepared(db: Db, text: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = db.prepare(text)));
  return stmt;
}

export function query<P extends unknown[] = [], R = never>(text: string): Query<P, R> {
  return {
    text,
    get: (db, ...params) => prepared(db, text).get(...params) as R | undefined,
    all: (db, ...params) => prepared(db, text).all(...params) as R[],
    iterate: (db, ...params) => prepared(db, text).iterate(...params) as IterableIterator<R>,
    run: (db, ...params) => prepared(db, text).run(...params),
  };
}

/** A single value of the first column ("SELECT COUNT(*) …"). */
export function scalar<P extends unknown[] = []>(text: string): { get(db: Db, ...params: P): number } {
  const q = query<P, Record<string, number>>(text);
  return { get: (db, ...params) => Object.values(q.get(db, ...params) ?? { v: 0 })[0] ?? 0 };
}

/** SQL text built at run time (a variable number of placeholders): still one prepared statement per shape. */
export function dynamic<R>(db: Db, text: string): { get(...p: unknown[]): R | undefined; all(...p: unknown[]): R[]; iterate(...p: unknown[]): IterableIterator<R>; run(...p: unknown[]): RunResult } {
  const st = prepared(db, text);
  return {
    get: (...p) => st.get(...p) as R | undefined,
    all: (...p) => st.all(...p) as R[],
    iterate: (...p) => st.iterate(...p) as IterableIterator<R>,
    run: (...p) => st.run(...p),
  };
}

export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
