import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Job } from '../../contracts/types';
import { ApiError } from '../shared/errors';
import type { CliArgs } from './args';
import { flags } from './command-flags';
import { withCore } from './core-session';
import { progressBar, progressLines, waitForJob } from './job-wait';
import { readPassphrase } from './passphrase';

const USAGE = 'usage: memoryos import PATH --space SPACE [--format F] [--band B] [--dry-run] [--passphrase-file FILE]';

/** An encrypted export's passphrase: the file's first line, MEMORYOS_EXPORT_PASSPHRASE, or a prompt on a terminal. */
async function exportPassphrase(path: string, file: string | undefined): Promise<string | undefined> {
  if (file) return readFileSync(resolve(file), 'utf8').split(/\r?\n/)[0];
  const { isEncryptedArchive } = await import('../app/export-file');
  if (!(await isEncryptedArchive(path).catch(() => false))) return undefined;
  return readPassphrase('Passphrase for the export file: ', 'MEMORYOS_EXPORT_PASSPHRASE');
}

function summary(j: Job): string {
  const r = j.result as { imported?: number; skipped_duplicates?: number; failed_count?: number; warnings_count?: number; dry_run?: boolean } | null;
  if (!r) return `The import ended ${j.status}.`;
  const verb = r.dry_run ? 'Would import' : 'Imported';
  return `${verb} ${r.imported}, skipped ${r.skipped_duplicates} already imported, ${r.failed_count} failed, ${r.warnings_count} warnings.`;
}

/**
 * `memoryos import PATH --space SPACE`: starts import.run, shows its progress on stderr (a bar on
 * a terminal, a line per ~5 % otherwise), and prints the finished job, whose result is the report,
 * as JSON. A job that fails (an archive that does not verify, a folder that is not the format)
 * exits non-zero; items that failed are in the report.
 */
export async function importCommand(args: CliArgs): Promise<{ job: Job }> {
  const { opts, positional } = flags(args.rest, { space: 'value', format: 'value', band: 'value', 'dry-run': 'bool', 'passphrase-file': 'value' });
  if (positional.length !== 1 || typeof opts.space !== 'string') throw new ApiError('INVALID_INPUT', USAGE);
  const path = resolve(positional[0]!);
  const params: Record<string, unknown> = { path, space_id: opts.space };
  if (typeof opts.format === 'string') params.format = opts.format;
  if (typeof opts.band === 'string') params.band = opts.band.toUpperCase();
  if (opts['dry-run']) params.dry_run = true;
  if (opts.format === undefined || opts.format === 'memoryos') {
    const passphrase = await exportPassphrase(path, typeof opts['passphrase-file'] === 'string' ? opts['passphrase-file'] : undefined);
    if (passphrase !== undefined) params.passphrase = passphrase;
  }
  return withCore(args, 'import.run', async (call) => {
    const { job } = (await call('import.run', params)) as { job: Job };
    const label = opts['dry-run'] ? 'Checking' : 'Importing';
    const progress = process.stderr.isTTY ? progressBar(process.stderr, label) : progressLines(process.stderr, label);
    const end = await waitForJob(call, job, (j) => progress.update(j));
    progress.end();
    process.stderr.write(summary(end) + '\n');
    if (end.status !== 'done') throw new ApiError((end.error?.code as never) ?? 'INTERNAL', end.error?.message ?? `the import ended ${end.status}`, { job_id: end.job_id, status: end.status });
    return { job: end };
  });
}
