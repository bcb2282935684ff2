import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { rowLine, type Row } from './report';

/**
 * The run's figures as each phase ends, so a long run that fails late keeps what it measured (a
 * 1M run once lost every figure to its last step): each phase's rows are printed at once and
 * appended to a JSON-lines file, one line per phase ({phase, at, rows, details} or {phase, at,
 * error}); a phase that throws is reported and the run goes on. The table is still printed at the
 * end, from the rows gathered here.
 */
export class PhaseLog {
  private readonly rows: { phase: string; row: Row }[] = [];
  readonly failures: { phase: string; error: string }[] = [];

  constructor(readonly file: string, header: Record<string, unknown>) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ phase: 'start', at: new Date().toISOString(), ...header }) + '\n');
  }

  private append(line: Record<string, unknown>): void {
    appendFileSync(this.file, JSON.stringify({ ...line, at: new Date().toISOString() }) + '\n');
  }

  /** a phase's figures: printed now, kept for the table, appended to the file */
  record(phase: string, rows: Row[], details?: unknown): void {
    for (const row of rows) this.rows.push({ phase, row });
    for (const r of rows) process.stdout.write(`  [${phase}] ${rowLine(r)}\n`);
    this.append({ phase, rows, ...(details === undefined ? {} : { details }) });
  }

  /** every row so far, phases in `order` (others after them, as they came) */
  rowsIn(order: string[]): Row[] {
    const rank = (p: string) => (order.includes(p) ? order.indexOf(p) : order.length);
    return this.rows.map((r, i) => ({ ...r, i })).sort((a, b) => rank(a.phase) - rank(b.phase) || a.i - b.i).map((r) => r.row);
  }

  /** runs a phase; a failure is printed and logged, and answers null so the run goes on */
  async run<T>(phase: string, work: () => Promise<T> | T): Promise<T | null> {
    try {
      return await work();
    } catch (e) {
      this.fail(phase, describe(e));
      return null;
    }
  }

  fail(phase: string, error: string): void {
    this.failures.push({ phase, error });
    process.stdout.write(`  [${phase}] FAILED: ${error}\n`);
    this.append({ phase, error });
  }
}

/** An error with its causes (fetch's "fetch failed" says why only in `cause`). */
export function describe(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    parts.push(x instanceof Error ? `${x.name}: ${x.message}` : String(x));
  }
  return parts.join(' ← caused by ');
}
