import type { ImportFormat } from '../import';

/** At most this many failures and warnings are listed in the job's result; the counts have them all. */
export const REPORT_LIST_MAX = 1000;

/**
 * What an import did, as the finished job's result (import.run's contract): counts, and each
 * failure and warning with the item's place in the source. No content: places are the source's
 * paths (the database holding the job row is encrypted), reasons and warnings never quote text.
 */
export interface ImportReport {
  format: ImportFormat;
  dry_run: boolean;
  read: number;
  imported: number;
  skipped_duplicates: number;
  /** items the source had in its trash: not imported */
  skipped_trashed: number;
  failed: { path: string; reason: string }[];
  warnings: { path: string; warning: string }[];
  failed_count: number;
  warnings_count: number;
  /** a MemoryOS export: what verifying it found */
  verified?: { files: number; encrypted: boolean; signing_device_id: string; generated_at: string };
}

export const newReport = (format: ImportFormat, dryRun: boolean): ImportReport => ({
  format, dry_run: dryRun, read: 0, imported: 0, skipped_duplicates: 0, skipped_trashed: 0, failed: [], warnings: [], failed_count: 0, warnings_count: 0,
});

export function addFailure(r: ImportReport, path: string, reason: string): void {
  r.failed_count++;
  if (r.failed.length < REPORT_LIST_MAX) r.failed.push({ path, reason });
}

export function addWarning(r: ImportReport, path: string, warning: string): void {
  r.warnings_count++;
  if (r.warnings.length < REPORT_LIST_MAX) r.warnings.push({ path, warning });
}
