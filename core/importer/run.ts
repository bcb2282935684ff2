import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ImportRunRequest, Job } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { detectFormat, readerFor, type ImportEvent, type ImportFormat, type ReadProgress } from '../import';
import { JobCancelled, startJob, type JobHandle } from '../jobs/jobs';
import { createInput } from '../memories/memories';
import { isEncryptedArchive } from '../privacy/archive/encrypted';
import { authorize, enforce } from '../policy/authorize';
import { ApiError, invalid } from '../shared/errors';
import { spaceRow } from '../spaces/spaces';
import { ItemDoesNotFit } from './fit-limits';
import { readExportMemories, verifyArchive } from './memoryos-source';
import { addFailure, addWarning, newReport } from './report';
import type { SourceEvent, SourceItem, SourceOptions } from './source';
import { writeItem, type Outcome, type WriteOptions } from './write-item';

/** progress is stored at most this often (each store is a write of the jobs row) */
const PROGRESS_MS = 200;
/** items between turns of the event loop: a long import still lets other calls in */
const YIELD_EVERY = 32;
/** tries of one item's write when another process wrote first (each try wrote nothing) */
const WRITE_TRIES = 6;

/**
 * Another process writing the same data directory (a second import, a CLI call beside this one,
 * no host between them): the database stayed busy, or it took the log position this process had
 * cached. The unit of work rolled back (and dropped the cache), so the item can be written again.
 */
const transient = (e: unknown): boolean =>
  (e instanceof ApiError && e.code === 'BUSY') || (e as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';

async function writeWithRetry(ctx: Ctx, actor: string, src: SourceItem, wo: WriteOptions): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeItem(ctx, actor, src, wo);
    } catch (e) {
      if (!transient(e) || attempt >= WRITE_TRIES) throw e;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/** The format of what is at `path`: a reader's detection, or an encrypted export (not a ZIP until decrypted). */
async function formatOf(path: string): Promise<ImportFormat | null> {
  return (await detectFormat(path)) ?? ((await isEncryptedArchive(path).catch(() => false)) ? 'memoryos' : null);
}

/**
 * import.run: decided and checked at the call (the space, the band for the actor, the path and
 * its format), then read and written by a job. The job's parameters keep no passphrase.
 */
export async function startImport(ctx: Ctx, actor: string, p: ImportRunRequest): Promise<Job> {
  keys(ctx);
  if (!isAbsolute(p.path)) throw invalid('path is an absolute path', { fields: ['path'] });
  spaceRow(ctx, p.space_id);
  // the band asked for; each memory is decided again as it is written (a MemoryOS export's own bands)
  enforce(authorize({ ...createInput(ctx, actor, p.space_id, p.band ?? 'GREEN'), action: 'import.run' }));
  if (!existsSync(p.path)) throw invalid('there is no file or folder at path', { fields: ['path'] });
  const format = p.format ?? (await formatOf(p.path));
  if (!format) throw invalid('the format of path was not recognised: name it with format (markdown, enex, keep, joplin, memoryos)', { fields: ['path', 'format'] });
  if (p.passphrase && format !== 'memoryos') throw invalid('a passphrase is only for an encrypted MemoryOS export', { fields: ['passphrase'] });
  const dryRun = p.dry_run === true;
  const params = { path: p.path, format, space_id: p.space_id, band: p.band ?? null, dry_run: dryRun };
  return startJob(ctx, 'import', actor, params, (job) => runImport(ctx, job, actor, { ...p, format, dry_run: dryRun }));
}

type RunParams = Omit<ImportRunRequest, 'format' | 'dry_run'> & { format: ImportFormat; dry_run: boolean };

async function* fromReader(events: AsyncIterable<ImportEvent>): AsyncGenerator<SourceEvent> {
  for await (const e of events) yield 'item' in e ? { source: { item: e.item } } : e;
}

async function runImport(ctx: Ctx, job: JobHandle, actor: string, p: RunParams): Promise<Record<string, unknown>> {
  const report = newReport(p.format, p.dry_run);
  const abort = new AbortController();
  let lastProgress = 0;
  let last: ReadProgress = { unit: 'items', done: 0, total: 0 };
  const onProgress = (pr: ReadProgress): void => {
    last = pr;
    if (job.cancelled && !abort.signal.aborted) abort.abort(new JobCancelled());
    if (Date.now() - lastProgress < PROGRESS_MS) return;
    lastProgress = Date.now();
    job.progress(Math.min(pr.done, pr.total), pr.total);
  };
  const so: SourceOptions = { signal: abort.signal, onProgress, passphrase: p.passphrase };
  let events: AsyncIterable<SourceEvent>;
  if (p.format === 'memoryos') {
    report.verified = await verifyArchive(p.path, so);
    events = readExportMemories(p.path, so);
  } else {
    events = fromReader(readerFor(p.format)!.read(p.path, { signal: abort.signal, onProgress }));
  }
  const wo: WriteOptions = { space_id: p.space_id, band: p.band, dry_run: p.dry_run, seen: new Set() };
  for await (const ev of events) {
    if (job.cancelled) throw new JobCancelled();
    report.read++;
    if ('failure' in ev) addFailure(report, ev.failure.path, ev.failure.reason);
    else {
      const path = ev.source.item.source.path;
      try {
        const r = await writeWithRetry(ctx, actor, ev.source, wo);
        if (r.outcome === 'imported') report.imported++;
        else if (r.outcome === 'duplicate') report.skipped_duplicates++;
        else report.skipped_trashed++;
        for (const w of r.warnings) addWarning(report, path, w);
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'LOCKED' || e.code === 'BUSY')) throw e; // the vault, not the item (BUSY: after every try)
        if (e instanceof ItemDoesNotFit || e instanceof ApiError) addFailure(report, path, e.message);
        else {
          ctx.log.error('import item failed', { job_id: job.job_id, error: (e as Error).name, stack: ((e as Error).stack ?? '').split('\n').slice(1, 4).join(' | ') });
          addFailure(report, path, 'internal error');
        }
      }
    }
    if (report.read % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
  }
  const total = last.total || report.read;
  job.progress(total, total);
  return report as unknown as Record<string, unknown>;
}
