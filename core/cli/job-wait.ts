import type { Job } from '../../contracts/types';
import type { CoreCall } from './core-session';

const FINAL = new Set(['done', 'failed', 'cancelled']);

export const isJobAnswer = (r: unknown): r is { job: Job } =>
  !!r && typeof r === 'object' && 'job' in r && !!(r as { job?: { job_id?: unknown } }).job?.job_id;

/**
 * Polls a job until it ends: a one-shot CLI call that starts a job (an export, an import) returns
 * with the finished job, never while the work is half done. Progress goes to `onProgress`.
 */
export async function waitForJob(call: CoreCall, job: Job, onProgress?: (j: Job) => void): Promise<Job> {
  let j = job;
  let pause = 25;
  while (!FINAL.has(j.status)) {
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(250, pause * 2);
    j = ((await call('job.get', { job_id: j.job_id })) as { job: Job }).job;
    onProgress?.(j);
  }
  return j;
}

/** A one-line progress bar for a terminal (stderr), redrawn in place. */
export function progressBar(stream: NodeJS.WriteStream, label: string): { update(j: Job): void; end(): void } {
  let last = '';
  return {
    update(j) {
      const { done, total } = j.progress;
      const frac = total ? Math.min(1, done / total) : 0;
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, ' ');
      const line = `\r${label} [${bar}] ${String(Math.floor(frac * 100)).padStart(3)}% ${done}/${total}`;
      if (line !== last) { stream.write(line); last = line; }
    },
    end() { if (last) stream.write('\n'); },
  };
}

/** Progress as plain lines for a log or a pipe (not a terminal): one line each time another ~5 % is done. */
export function progressLines(stream: NodeJS.WritableStream, label: string, step = 5): { update(j: Job): void; end(): void } {
  let shown = -1;
  return {
    update(j) {
      const { done, total } = j.progress;
      if (!total) return;
      const pct = Math.floor(Math.min(1, done / total) * 100);
      if (shown >= 0 && pct < shown + step && !(pct === 100 && shown < 100)) return;
      shown = pct;
      stream.write(`${label}: ${pct}% (${done}/${total})\n`);
    },
    end() { /* every line is already whole */ },
  };
}
