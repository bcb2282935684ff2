import { create } from 'zustand';
import type { Job, PrivacyExportRequest } from '../../../contracts/types';
import { describeError, jobErrorSentence } from '../api/errors';
import { asExportResult, asVerifyResult, type ExportResult, type VerifyResult } from '../lib/privacy-view';
import { api } from './client';
import { useMemories } from './memories';
import { useSession } from './session';
import { useTrash } from './trash';

/**
 * One export as the Privacy center follows it: the export job writes and signs the archive, then a
 * verify job (privacy.verifyExport) reads it back; "verified" is that job's answer, never assumed.
 */
export interface ExportRun {
  phase: 'writing' | 'verifying' | 'done' | 'failed' | 'cancelled';
  job: Job;
  verify: Job | null;
  result: ExportResult | null;
  verified: VerifyResult | null;
  error: string | null;
}

export interface EraseOutcome { what: 'mine' | 'trash'; erased: number; shredded: number; kept: number }

interface PrivacyState {
  run: ExportRun | null;
  /** how many memories are in the trash (trash.list total), and the retention it reports */
  trash: { total: number; retention_days: number } | null;
  lastErase: EraseOutcome | null;
  /** privacy.export, then privacy.verifyExport when the archive is written */
  startExport(opts: { includeBlack: boolean; reauth?: string; encrypt?: string }): Promise<void>;
  cancelExport(): Promise<void>;
  /** a JOB_STATUS_CHANGED event (live-events.ts): progress, and the next step when a job ends */
  noteJob(payload: { job_id?: unknown; status?: unknown; done?: unknown; total?: unknown }): void;
  clearExport(): void;
  loadTrash(): Promise<void>;
  /** privacy.erase {subject: me}: every memory the acting member wrote, everywhere */
  eraseMine(passphrase: string): Promise<EraseOutcome>;
  /** trash.empty: what is in the trash, erased for good */
  emptyTrash(passphrase: string): Promise<EraseOutcome>;
  reset(): void;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);
/** the encrypted archive's passphrase, held only until its verify job has started */
let verifyPassphrase: string | null = null;
/** job ids whose end is being read (job.get), so two events do not start two verifications */
const reading = new Set<string>();

const jobError = (j: Job): string => (j.error ? jobErrorSentence(j.error, j.kind === 'verify' ? 'privacy.verifyExport' : 'privacy.export') : 'The job stopped without saying why.');

export const usePrivacy = create<PrivacyState>((set, get) => {
  /** the current run's job (or its verify job) ended: read it whole and take the next step */
  const settle = async (jobId: string) => {
    if (reading.has(jobId)) return;
    reading.add(jobId);
    try {
      const { job } = await api().call('job.get', { job_id: jobId });
      const run = get().run;
      if (!run) return;
      if (run.job.job_id === jobId && run.phase === 'writing') {
        if (job.status === 'done') {
          const result = asExportResult(job.result);
          if (!result) { set({ run: { ...run, job, phase: 'failed', error: 'The export ended without naming its file.' } }); return; }
          const passphrase = verifyPassphrase;
          verifyPassphrase = null;
          const { job: verify } = await api().call('privacy.verifyExport', { path: result.path, ...(passphrase ? { passphrase } : {}) });
          set({ run: { ...run, job, result, verify, phase: 'verifying' } });
          if (TERMINAL.has(verify.status)) void settle(verify.job_id);
        } else if (TERMINAL.has(job.status)) {
          verifyPassphrase = null;
          set({ run: { ...run, job, phase: job.status === 'cancelled' ? 'cancelled' : 'failed', error: job.status === 'cancelled' ? null : jobError(job) } });
        } else set({ run: { ...run, job } });
      } else if (run.verify?.job_id === jobId && run.phase === 'verifying') {
        if (!TERMINAL.has(job.status)) { set({ run: { ...run, verify: job } }); return; }
        const verified = job.status === 'done' ? asVerifyResult(job.result) : null;
        set({ run: { ...run, verify: job, verified, phase: 'done', error: verified ? null : jobError(job) } });
      }
    } catch (e) {
      const run = get().run;
      if (run && run.phase !== 'done') set({ run: { ...run, phase: run.phase === 'verifying' ? 'done' : 'failed', error: describeError(e) } });
    } finally {
      reading.delete(jobId);
    }
  };

  return {
    run: null,
    trash: null,
    lastErase: null,
    async startExport(opts) {
      const params: PrivacyExportRequest = {};
      if (opts.includeBlack) { params.include_black = true; if (opts.reauth) params.reauth = { passphrase: opts.reauth }; }
      if (opts.encrypt) params.encrypt = { passphrase: opts.encrypt };
      const { job } = await api().call('privacy.export', params);
      verifyPassphrase = opts.encrypt ?? null;
      set({ run: { phase: 'writing', job, verify: null, result: null, verified: null, error: null } });
      // events say when it moves; a job that already ended before this answer arrived is read now
      if (TERMINAL.has(job.status)) void settle(job.job_id);
    },
    async cancelExport() {
      const run = get().run;
      if (!run) return;
      const id = run.phase === 'verifying' && run.verify ? run.verify.job_id : run.job.job_id;
      await api().call('job.cancel', { job_id: id });
      void settle(id);
    },
    noteJob(p) {
      const run = get().run;
      if (!run || typeof p.job_id !== 'string') return;
      const mine = run.job.job_id === p.job_id ? 'job' : run.verify?.job_id === p.job_id ? 'verify' : null;
      if (!mine) return;
      const status = typeof p.status === 'string' ? p.status : '';
      if (typeof p.done === 'number' && typeof p.total === 'number') {
        const j = run[mine]!;
        set({ run: { ...run, [mine]: { ...j, status: (status || j.status) as Job['status'], progress: { done: p.done, total: p.total } } } });
      }
      if (TERMINAL.has(status)) void settle(p.job_id);
    },
    clearExport() {
      verifyPassphrase = null;
      set({ run: null });
    },
    async loadTrash() {
      const r = await api().call('trash.list', { limit: 1 });
      set({ trash: { total: r.total, retention_days: r.retention_days } });
    },
    async eraseMine(passphrase) {
      const subject = useSession.getState().status?.member_id;
      if (!subject) throw new Error('Who is signed in is not known yet: try again in a moment.');
      const r = await api().call('privacy.erase', { subject, confirm: true, reauth: { passphrase } });
      const outcome: EraseOutcome = { what: 'mine', erased: r.erased.length, shredded: r.shredded.length, kept: 0 };
      set({ lastErase: outcome });
      await Promise.all([useMemories.getState().reload().catch(() => {}), get().loadTrash().catch(() => {})]);
      return outcome;
    },
    async emptyTrash(passphrase) {
      const r = await api().call('trash.empty', { confirm: true, reauth: { passphrase } });
      const outcome: EraseOutcome = { what: 'trash', erased: r.erased.length, shredded: r.shredded.length, kept: r.kept };
      set({ lastErase: outcome });
      await Promise.all([get().loadTrash().catch(() => {}), useTrash.getState().watched ? useTrash.getState().load() : Promise.resolve()]);
      return outcome;
    },
    reset() {
      verifyPassphrase = null;
      reading.clear();
      set({ run: null, trash: null, lastErase: null });
    },
  };
});
