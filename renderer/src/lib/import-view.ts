import type { ImportRunRequest } from '../../../contracts/types';

export type ImportFormat = NonNullable<ImportRunRequest['format']>;

/** The formats import.run reads, as people know them (and what to point the path at). */
export const IMPORT_FORMATS: { format: ImportFormat; label: string; where: string }[] = [
  { format: 'markdown', label: 'Markdown folder (Obsidian and others)', where: 'the vault’s folder' },
  { format: 'enex', label: 'Evernote (.enex)', where: 'the .enex file' },
  { format: 'keep', label: 'Google Keep (Takeout)', where: 'the Takeout folder, or Takeout/Keep' },
  { format: 'joplin', label: 'Joplin (RAW export)', where: 'the exported folder' },
  { format: 'memoryos', label: 'MemoryOS export (backup)', where: 'the .zip archive' },
];

export const formatLabel = (f: string | undefined): string => IMPORT_FORMATS.find((x) => x.format === f)?.label ?? (f || 'not known');

/** The finished import job's result (contracts/api/methods/import.run.json). */
export interface ImportReport {
  format: string;
  read: number;
  imported: number;
  skipped_duplicates: number;
  failed: { path: string; reason: string }[];
  warnings: { path: string; warning: string }[];
  failed_count: number;
  warnings_count: number;
  dry_run: boolean;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const list = <T>(v: unknown, ok: (x: Record<string, unknown>) => boolean): T[] =>
  Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object' && ok(x as Record<string, unknown>)) as T[]) : [];

/** The report of a done import job, or null when the result is not one (an older core). */
export function asImportReport(r: Record<string, unknown> | null): ImportReport | null {
  if (!r || typeof r.imported !== 'number' || typeof r.read !== 'number') return null;
  const failed = list<ImportReport['failed'][number]>(r.failed, (x) => typeof x.path === 'string' && typeof x.reason === 'string');
  const warnings = list<ImportReport['warnings'][number]>(r.warnings, (x) => typeof x.path === 'string' && typeof x.warning === 'string');
  return {
    format: typeof r.format === 'string' ? r.format : '',
    read: count(r.read), imported: count(r.imported), skipped_duplicates: count(r.skipped_duplicates),
    failed, warnings,
    failed_count: Math.max(count(r.failed_count), failed.length),
    warnings_count: Math.max(count(r.warnings_count), warnings.length),
    dry_run: r.dry_run === true,
  };
}

const n = (k: number, one: string, many: string) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;

/** One sentence for a report: what would happen (a dry run) or what happened. */
export function reportSentence(r: ImportReport): string {
  const parts = [
    r.dry_run ? `${n(r.imported, 'memory', 'memories')} would be imported` : `${n(r.imported, 'memory', 'memories')} imported`,
    r.skipped_duplicates ? `${n(r.skipped_duplicates, 'is', 'are')} already here` : null,
    r.failed_count ? `${n(r.failed_count, 'item', 'items')} could not be read` : null,
  ].filter(Boolean);
  return `${parts.join(', ')} (of ${n(r.read, 'item', 'items')} read).`;
}

/** A path a person may paste with quotes or a file:// prefix (a file manager's "copy"), made plain. */
export function cleanPath(p: string): string {
  let s = p.trim();
  if (/^(['"]).*\1$/.test(s)) s = s.slice(1, -1);
  if (/^file:\/\//i.test(s)) {
    try { s = decodeURIComponent(s.replace(/^file:\/\//i, '')); } catch { /* kept as typed */ }
    // file:///C:/Users/… on Windows
    if (/^\/[A-Za-z]:\//.test(s)) s = s.slice(1);
  }
  return s;
}

/** Whether a path is absolute (import.run reads nothing relative to the host's working folder). */
export const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
