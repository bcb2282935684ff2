import type { Db } from './database';
import { busyError, isBusy } from './busy';

/**
 * One transaction per API call. Work registered with onCommit (event delivery) runs only after
 * the transaction commits, so subscribers never see state that could still roll back.
 * Transactions begin IMMEDIATE: a deferred one that reads before it writes cannot upgrade its
 * lock while another process writes, and SQLite then fails it at once instead of waiting.
 * A database another process keeps busy past the busy timeout answers a structured BUSY.
 */
export class UnitOfWork {
  private depth = 0;
  private afterCommit: (() => void)[] = [];

  /** `db` is asked for at each transaction: the database opens at unlock and closes at lock */
  constructor(private readonly db: () => Db, private readonly onRollback: () => void = () => {}) {}

  get active(): boolean { return this.depth > 0; }

  run<T>(fn: () => T): T {
    if (this.depth > 0) return fn(); // joins the enclosing transaction
    this.depth++;
    let result: T;
    try {
      result = this.db().transaction(fn).immediate();
    } catch (e) {
      this.afterCommit = [];
      this.onRollback();
      throw isBusy(e) ? busyError() : e;
    } finally {
      this.depth--;
    }
    const callbacks = this.afterCommit;
    this.afterCommit = [];
    for (const cb of callbacks) cb();
    return result;
  }

  onCommit(cb: () => void): void {
    if (this.depth === 0) throw new Error('onCommit outside a unit of work');
    this.afterCommit.push(cb);
  }
}
