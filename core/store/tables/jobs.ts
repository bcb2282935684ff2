import type { Job } from '../../../contracts/types';
import { query } from '../query';

export type JobKind = Job['kind'];
export type JobStatus = Job['status'];

/** A job's row: its parameters and result as JSON (ids, counts, paths — never content). */
export interface JobRow {
  job_id: string; kind: JobKind; status: JobStatus; actor: string; params: string; output_path: string | null;
  done: number; total: number; result: string | null; error: string | null; created_at: number; updated_at: number;
  /** the process running it (migration 018); null for rows from before */
  runner_pid: number | null;
}

export const jobsTable = {
  insert: query<[string, JobKind, string, string, number, number, number]>("INSERT INTO jobs (job_id, kind, status, actor, params, created_at, updated_at, runner_pid) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)").run,
  find: query<[string], JobRow>('SELECT * FROM jobs WHERE job_id = ?').get,
  list: query<[number], JobRow>('SELECT * FROM jobs ORDER BY created_at DESC, job_id DESC LIMIT ?').all,
  listOf: query<[string, number], JobRow>('SELECT * FROM jobs WHERE actor = ? ORDER BY created_at DESC, job_id DESC LIMIT ?').all,
  open: query<[], JobRow>("SELECT * FROM jobs WHERE status IN ('queued', 'running')").all,
  setRunning: query<[number, string]>("UPDATE jobs SET status = 'running', updated_at = ? WHERE job_id = ? AND status = 'queued'").run,
  setOutput: query<[string | null, number, string]>('UPDATE jobs SET output_path = ?, updated_at = ? WHERE job_id = ?').run,
  setProgress: query<[number, number, number, string]>("UPDATE jobs SET done = ?, total = ?, updated_at = ? WHERE job_id = ? AND status = 'running'").run,
  /** queued/running → a final state, once */
  finish: query<[JobStatus, string | null, string | null, number, string]>("UPDATE jobs SET status = ?, result = ?, error = ?, updated_at = ? WHERE job_id = ? AND status IN ('queued', 'running')").run,
};
