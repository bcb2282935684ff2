import { rmSync } from 'node:fs';
import type { Job } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { ulid } from '../shared/ulid';
import { jobsTable, type JobKind, type JobRow } from '../store/tables/jobs';

/** What a job's work sees: report progress, name the file it writes, learn it was cancelled. */
export interface JobHandle {
  readonly job_id: string;
  progress(done: number, total: number): void;
  /** the file the job is writing: removed if the job fails, is cancelled, or the process dies */
  output(path: string | null): void;
  readonly cancelled: boolean;
}

export class JobCancelled extends Error { constructor() { super('the job was cancelled'); this.name = 'JobCancelled'; } }

const PROGRESS_EVENT_MS = 250;

const toJob = (r: JobRow): Job => ({
  job_id: r.job_id, kind: r.kind, status: r.status, actor: r.actor, created_at: iso(r.created_at), updated_at: iso(r.updated_at),
  progress: { done: r.done, total: r.total }, result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  error: r.error ? (JSON.parse(r.error) as { code: string; message: string }) : null,
});

const cancels = new WeakMap<Ctx, Set<string>>();
const running = new WeakMap<Ctx, Map<string, Promise<void>>>();
const cancelSet = (ctx: Ctx) => { let s = cancels.get(ctx); if (!s) cancels.set(ctx, (s = new Set())); return s; };
const runningMap = (ctx: Ctx) => { let m = running.get(ctx); if (!m) running.set(ctx, (m = new Map())); return m; };

function announce(ctx: Ctx, r: JobRow): void {
  if (!ctx.keyring) return;
  const progress = r.total ? Math.min(1, r.done / r.total) : r.status === 'done' ? 1 : 0;
  ctx.uow.run(() => emit(ctx, {
    topic: 'JOB_STATUS_CHANGED', payload: { job_id: r.job_id, kind: r.kind, status: r.status, progress, done: r.done, total: r.total },
    actor: { member_id: r.actor, caps: [] },
  }));
}

/**
 * Starts long work as a job: recorded as queued, then run in the background (the call that
 * started it answers at once with the job). Progress is stored and announced (JOB_STATUS_CHANGED,
 * at most a few times a second); the result or the error ends it, once.
 */
export function startJob(ctx: Ctx, kind: JobKind, actor: string, params: Record<string, unknown>, work: (job: JobHandle) => Promise<Record<string, unknown>>): Job {
  keys(ctx);
  const id = ulid(ctx.clock.now());
  const now = ctx.clock.now();
  ctx.uow.run(() => jobsTable.insert(ctx.db, id, kind, actor, JSON.stringify(params), now, now, process.pid));
  let lastEvent = 0;
  let output: string | null = null;
  const handle: JobHandle = {
    job_id: id,
    progress: (done, total) => {
      jobsTable.setProgress(ctx.db, done, total, ctx.clock.now(), id);
      if (Date.now() - lastEvent >= PROGRESS_EVENT_MS) { lastEvent = Date.now(); const r = jobsTable.find(ctx.db, id); if (r) announce(ctx, r); }
    },
    output: (path) => { output = path; jobsTable.setOutput(ctx.db, path, ctx.clock.now(), id); },
    get cancelled() { return cancelSet(ctx).has(id); },
  };
  const finish = (status: 'done' | 'failed' | 'cancelled', result: Record<string, unknown> | null, error: { code: string; message: string } | null) => {
    if (status !== 'done' && output) rmSync(output, { force: true });
    if (!ctx.db.open) return;
    ctx.uow.run(() => jobsTable.finish(ctx.db, status, result ? JSON.stringify(result) : null, error ? JSON.stringify(error) : null, ctx.clock.now(), id));
    cancelSet(ctx).delete(id);
    const r = jobsTable.find(ctx.db, id);
    if (r) announce(ctx, r);
  };
  const p = (async () => {
    await new Promise((r) => setImmediate(r)); // the call that starts a job answers first
    jobsTable.setRunning(ctx.db, ctx.clock.now(), id);
    const r = jobsTable.find(ctx.db, id);
    if (r) announce(ctx, r);
    try {
      const result = await work(handle);
      finish(handle.cancelled ? 'cancelled' : 'done', handle.cancelled ? null : result, null);
    } catch (e) {
      if (e instanceof JobCancelled || handle.cancelled) finish('cancelled', null, null);
      else {
        const err = e instanceof ApiError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'internal error' };
        if (!(e instanceof ApiError)) ctx.log.error('job failed', { job_id: id, kind, error: (e as Error).name, stack: ((e as Error).stack ?? '').split('\n').slice(1, 4).join(' | ') });
        finish('failed', null, err);
      }
    }
  })().finally(() => runningMap(ctx).delete(id));
  runningMap(ctx).set(id, p);
  return getJob(ctx, actor, id, true);
}

/** Resolves when a job running in this process has ended (a one-shot CLI call waits for it before it closes). */
export async function jobSettled(ctx: Ctx, jobId: string): Promise<void> {
  await runningMap(ctx).get(jobId);
}

/** Every job still running in this process (closing waits for them or cancels them). */
export const runningJobs = (ctx: Ctx): string[] => [...runningMap(ctx).keys()];

/** A job the actor may see: their own, or any for the vault owner; else NOT_FOUND. */
export function getJob(ctx: Ctx, actor: string, jobId: string, skipCheck = false): Job {
  const r = jobsTable.find(ctx.db, jobId);
  if (!r || (!skipCheck && r.actor !== actor && actor !== keys(ctx).memberId)) throw notFound('job', jobId);
  return toJob(r);
}

export function listJobs(ctx: Ctx, actor: string, limit = 100): Job[] {
  const rows = actor === keys(ctx).memberId ? jobsTable.list(ctx.db, limit) : jobsTable.listOf(ctx.db, actor, limit);
  return rows.map(toJob);
}

/** Asks a running job to stop: it ends as cancelled at its next step, its partial output removed. */
export function cancelJob(ctx: Ctx, actor: string, jobId: string): Job {
  const j = getJob(ctx, actor, jobId);
  if (j.status !== 'queued' && j.status !== 'running') throw new ApiError('CONFLICT', `the job is already ${j.status}`, { job_id: jobId });
  cancelSet(ctx).add(jobId);
  if (!runningMap(ctx).has(jobId)) {
    // not running in this process (queued elsewhere, or left over): end it here
    ctx.uow.run(() => jobsTable.finish(ctx.db, 'cancelled', null, null, ctx.clock.now(), jobId));
  }
  return getJob(ctx, actor, jobId);
}

/** whether a process of this pid still runs (EPERM: it does, as another user) */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * At boot: a job left queued or running was interrupted (the process died). It is marked
 * failed, and the file it was writing removed — a partial export must not pass for a whole one.
 * A job another live process runs (a one-shot CLI import while another command opens the same
 * data directory) was not interrupted and is left alone.
 */
export function failInterruptedJobs(ctx: Pick<Ctx, 'db' | 'clock' | 'uow' | 'log'>): number {
  // a job this process still runs (the vault locked and unlocked under it) was not interrupted
  const mine = running.get(ctx as Ctx);
  const open = jobsTable.open(ctx.db).filter((r) => !mine?.has(r.job_id) && !(r.runner_pid !== null && r.runner_pid !== process.pid && alive(r.runner_pid)));
  for (const r of open) {
    if (r.output_path) rmSync(r.output_path, { force: true });
    ctx.uow.run(() => jobsTable.finish(ctx.db, 'failed', null, JSON.stringify({ code: 'INTERRUPTED', message: 'the process running the job stopped before it finished' }), ctx.clock.now(), r.job_id));
    ctx.log.warn('interrupted job failed at boot', { job_id: r.job_id, kind: r.kind });
  }
  return open.length;
}
