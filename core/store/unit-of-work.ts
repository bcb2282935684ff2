import type { Db } from './database';

/**
 * One transaction per API call. Work registered with onCommit (event delivery) runs only after
 * the transaction commits, so subscribers never see state that could still roll back.
 */
export class UnitOfWork {
  private depth = 0;
  private afterCommit: (() => void)[] = [];

  constructor(private readonly db: Db, private readonly onRollback: () => void = () => {}) {}

  get active(): boolean { return this.depth > 0; }

  run<T>(fn: () => T): T {
    if (this.depth > 0) return fn(); // joins the enclosing transaction
    this.depth++;
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (e) {
      this.afterCommit = [];
      this.onRollback();
      throw e;
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
