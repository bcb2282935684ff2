import { create } from 'zustand';
import type { ImportRunRequest, Job } from '../../../contracts/types';
import { describeError, jobErrorSentence } from '../api/errors';
import { asImportReport, reportSentence, type ImportReport } from '../lib/import-view';
import { api } from './client';
import { useMemories } from './memories';
import { useSpaces } from './spaces';
import { useUi } from './ui';

/**
 * One import as the import dialog follows it (issue 12): a dry run first (import.run with
 * dry_run: the format it detected and what would happen, nothing written), then the import itself
 * with the same request, its progress from JOB_STATUS_CHANGED, and the job's report at the end.
 */
export type ImportPhase = 'idle' | 'checking' | 'checked' | 'importing' | 'done' | 'failed' | 'cancelled';

/** what the person chose; the passphrase of an encrypted export is kept apart (below) */
export type ImportChoice = Omit<ImportRunRequest, 'dry_run' | 'passphrase'>;

interface ImportState {
  phase: ImportPhase;
  choice: ImportChoice | null;
  /** the job being followed (the dry run's, then the import's) */
  job: Job | null;
  /** the dry run's report */
  preview: ImportReport | null;
  /** the import's report */
  report: ImportReport | null;
  error: string | null;
  /** import.run {dry_run: true} */
  check(choice: ImportChoice, passphrase?: string): Promise<void>;
  /** import.run with the checked choice, for real */
  start(): Promise<void>;
  cancel(): Promise<void>;
  /** a JOB_STATUS_CHANGED event (live-events.ts) */
  noteJob(payload: { job_id?: unknown; status?: unknown; done?: unknown; total?: unknown }): void;
  reset(): void;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);
/** an encrypted export's passphrase, in memory for the dry run and the import that follows it only */
let passphrase: string | null = null;
const reading = new Set<string>();

const request = (c: ImportChoice, dryRun: boolean): ImportRunRequest => ({ ...c, ...(dryRun ? { dry_run: true } : {}), ...(passphrase ? { passphrase } : {}) });

export const useImport = create<ImportState>((set, get) => {
  /** the followed job ended: read it whole (job.get) and show its report */
  const settle = async (jobId: string) => {
    if (reading.has(jobId)) return;
    reading.add(jobId);
    try {
      const { job } = await api().call('job.get', { job_id: jobId });
      const s = get();
      if (s.job?.job_id !== jobId) return;
      if (!TERMINAL.has(job.status)) { set({ job }); return; }
      const dry = s.phase === 'checking';
      if (job.status === 'cancelled') { passphrase = null; set({ job, phase: 'cancelled' }); return; }
      const report = job.status === 'done' ? asImportReport(job.result) : null;
      if (!report) {
        if (!dry) passphrase = null;
        set({ job, phase: 'failed', error: job.error ? jobErrorSentence(job.error, 'import.run') : 'The import ended without its report.' });
        return;
      }
      if (dry) { set({ job, phase: 'checked', preview: report }); return; }
      passphrase = null;
      set({ job, phase: 'done', report });
      // the dialog may have been hidden while it ran: say it finished, with a way back to the report
      if (useUi.getState().overlay !== 'import') useUi.getState().notify(`Import finished: ${reportSentence(report)}`, { label: 'See the report', run: () => useUi.getState().setOverlay('import') });
      // the events of the import already move the list; one read more makes sure of the counts
      void useMemories.getState().reload().catch(() => {});
      void useSpaces.getState().load().catch(() => {});
    } catch (e) {
      if (get().job?.job_id === jobId) set({ phase: 'failed', error: describeError(e) });
    } finally {
      reading.delete(jobId);
    }
  };

  const run = async (choice: ImportChoice, dryRun: boolean) => {
    set({ phase: dryRun ? 'checking' : 'importing', choice, job: null, error: null, report: null, ...(dryRun ? { preview: null } : {}) });
    try {
      const { job } = await api().call('import.run', request(choice, dryRun));
      set({ job });
      // a job that ended before its answer arrived sends no event this store will see: read it now
      if (TERMINAL.has(job.status)) void settle(job.job_id);
    } catch (e) {
      set({ phase: 'failed', error: describeError(e) });
    }
  };

  return {
    phase: 'idle', choice: null, job: null, preview: null, report: null, error: null,
    async check(choice, pass) {
      passphrase = pass || null;
      await run(choice, true);
    },
    async start() {
      const c = get().choice;
      if (c) await run(c, false);
    },
    async cancel() {
      const j = get().job;
      if (!j) return;
      try { await api().call('job.cancel', { job_id: j.job_id }); } catch (e) { set({ error: describeError(e) }); }
      void settle(j.job_id);
    },
    noteJob(p) {
      const j = get().job;
      if (!j || p.job_id !== j.job_id) return;
      const status = typeof p.status === 'string' ? p.status : '';
      if (typeof p.done === 'number' && typeof p.total === 'number') {
        set({ job: { ...j, status: (status || j.status) as Job['status'], progress: { done: p.done, total: p.total } } });
      }
      if (TERMINAL.has(status)) void settle(j.job_id);
    },
    reset() {
      passphrase = null;
      reading.clear();
      set({ phase: 'idle', choice: null, job: null, preview: null, report: null, error: null });
    },
  };
});
