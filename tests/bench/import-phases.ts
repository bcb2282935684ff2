import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAttachmentSync, writeRandomFile, type AttachmentSyncResult } from './attachment-sync';
import { ROOT } from './core-dist';
import { writeEnex, writeMarkdownFolder } from './import-sources';
import { progress, type BenchSize, type ImportPhase } from './options';
import type { PhaseLog } from './phases';
import { row } from './report';
import { procRss } from './stats';
import { startHost, stopHost, SPACE } from './sync-hosts';

/**
 * Issue 12 item 4, the phase group of `npm run bench -- --import` (or `--import-only`): three
 * phases, each against a baseline measured in the same run on the same bytes (import-baseline.ts,
 * a fresh process each):
 *
 *  - import markdown: a Markdown folder of the corpus (import-sources.ts) through `import.run` on
 *    a fresh `memoryos serve` host (dist/), polled with job.get until done: notes/s, and the
 *    host's peak RSS (VmHWM, so its start-up and unlock are in it too: an upper bound) and its
 *    growth during the job (sampled every 100 ms; the baseline's: VmHWM over its RSS at start);
 *  - import enex: a large ENEX (tests/unit/import/big-enex.ts, with resources) the same way: MB/s,
 *    notes/s, peak RSS (issue 12: under 400 MB for 1 GB);
 *  - attachment sync: a random file added on host A and synced to paired host B
 *    (attachment-sync.ts): the add, the time until whole on B, both hosts' RSS growth, SHA-256.
 */

const MB = 1024 * 1024;
const POLL_MS = 100;
const PROGRESS_EVERY_MS = 10_000;

export interface BaselineRun { ms: number; rss_before: number; peak_rss: number; items: number; chunks: number; bytes: number }

function baseline(mode: 'markdown' | 'enex' | 'file', src: string, scratch: string): BaselineRun {
  const dir = mkdtempSync(join(scratch, `baseline-${mode}-`));
  try {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'import-baseline.ts'), mode, src, dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`import-baseline.ts ${mode} failed with exit code ${r.status}`);
    return JSON.parse(r.stdout) as BaselineRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HostImport {
  /** import.run called → its job done */
  ms: number;
  rss_before: number;
  /** RSS sampled every 100 ms during the job, and the host's VmHWM at its end (its whole life) */
  peak_rss_sampled: number; vm_hwm: number;
  report: { read: number; imported: number; skipped_duplicates: number; failed_count: number; warnings_count: number };
}

/** import.run on a fresh host (its own data dir, unlocked), as the import dialog starts it; the job polled to its end. */
async function importOnHost(path: string, format: 'markdown' | 'enex'): Promise<HostImport> {
  const h = await startHost(`import-${format}`);
  try {
    const pid = h.handle.proc.pid!;
    const before = procRss(pid)!.rss;
    let peak = before;
    const t0 = performance.now();
    let job = (await h.call('import.run', { path, format, space_id: SPACE })).job;
    let shown = t0;
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((r) => setTimeout(r, POLL_MS));
      peak = Math.max(peak, procRss(pid)?.rss ?? 0);
      job = (await h.call('job.get', { job_id: job.job_id })).job;
      if (performance.now() - shown >= PROGRESS_EVERY_MS) {
        shown = performance.now();
        progress(`import ${format}: ${job.progress?.done ?? '?'}/${job.progress?.total ?? '?'} after ${((shown - t0) / 1000).toFixed(0)} s, host RSS ${((procRss(pid)?.rss ?? 0) / MB).toFixed(0)} MB`);
      }
    }
    const ms = performance.now() - t0;
    const end = procRss(pid)!;
    if (job.status !== 'done') throw new Error(`the import ended ${job.status}: ${JSON.stringify(job.error)}`);
    const { read, imported, skipped_duplicates, failed_count, warnings_count } = job.result;
    return { ms, rss_before: before, peak_rss_sampled: Math.max(peak, end.rss), vm_hwm: end.peak, report: { read, imported, skipped_duplicates, failed_count, warnings_count } };
  } finally {
    await stopHost(h);
  }
}

export interface ImportDetails {
  markdown?: { notes: number; bytes: number; ours: HostImport; baseline: BaselineRun };
  enex?: { bytes: number; notes: number; resources: number; resource_bytes: number; ours: HostImport; baseline: BaselineRun };
  attachment?: { ours: AttachmentSyncResult; baseline: BaselineRun };
}

/** Imported everything it read, or the figure would be of a different job. */
function checkReport(what: string, r: HostImport['report'], notes: number): void {
  if (r.imported !== notes || r.failed_count) throw new Error(`${what}: imported ${r.imported} of ${notes} notes (${r.failed_count} failed, ${r.skipped_duplicates} duplicates)`);
}

export async function runImportPhases(size: BenchSize, log: PhaseLog): Promise<ImportDetails> {
  const scratch = mkdtempSync(join(tmpdir(), 'memoryos-bench-import-'));
  const details: ImportDetails = {};
  try {
    const on = (p: ImportPhase) => size.import_phases.includes(p);
    if (on('markdown')) await log.run('import markdown', async () => {
      const root = join(scratch, 'markdown');
      mkdirSync(root);
      const t = performance.now();
      const gen = writeMarkdownFolder(root, size.import_n);
      progress(`wrote ${gen.files.toLocaleString('en-US')} Markdown notes (${(gen.bytes / MB).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(0)} s; baseline, then import.run on a host…`);
      const base = baseline('markdown', root, scratch);
      const ours = await importOnHost(root, 'markdown');
      checkReport('markdown', ours.report, gen.files);
      details.markdown = { notes: gen.files, bytes: gen.bytes, ours, baseline: base };
      log.record('import markdown', [
        row(`import of a Markdown folder (import.run, ${gen.files.toLocaleString('en-US')} notes, ${(gen.bytes / MB).toFixed(1)} MB)`, 'memories/s', gen.files / (ours.ms / 1000), base.items / (base.ms / 1000)),
        row('  the whole import', 's', ours.ms / 1000, base.ms / 1000),
        row('  peak RSS of the importing process (host VmHWM)', 'MB', ours.vm_hwm / MB, base.peak_rss / MB),
        row('  RSS growth during the import (sampled every 100 ms)', 'MB', (ours.peak_rss_sampled - ours.rss_before) / MB, (base.peak_rss - base.rss_before) / MB),
      ], details.markdown);
      rmSync(root, { recursive: true, force: true });
    });

    if (on('enex')) await log.run('import enex', async () => {
      const file = join(scratch, 'big.enex');
      const t = performance.now();
      const gen = await writeEnex(file, size.enex_mb);
      progress(`wrote a ${(gen.bytes / MB).toFixed(0)} MB ENEX (${gen.notes.toLocaleString('en-US')} notes, ${gen.resources.size} resources of ${(gen.resourceBytes / MB).toFixed(1)} MiB) in ${((performance.now() - t) / 1000).toFixed(0)} s; baseline, then import.run on a host…`);
      const base = baseline('enex', file, scratch);
      const ours = await importOnHost(file, 'enex');
      checkReport('enex', ours.report, gen.notes);
      details.enex = { bytes: gen.bytes, notes: gen.notes, resources: gen.resources.size, resource_bytes: gen.resourceBytes, ours, baseline: base };
      log.record('import enex', [
        row(`import of an ENEX (import.run, ${(gen.bytes / MB).toFixed(0)} MB: ${gen.notes.toLocaleString('en-US')} notes, ${gen.resources.size} resources)`, 'MB/s', gen.bytes / MB / (ours.ms / 1000), gen.bytes / MB / (base.ms / 1000)),
        row('  notes imported per second', 'memories/s', gen.notes / (ours.ms / 1000), base.items / (base.ms / 1000)),
        row('  peak RSS of the importing process (host VmHWM)', 'MB', ours.vm_hwm / MB, base.peak_rss / MB, '< 400 MB', (v) => v < 400),
        row('  RSS growth during the import (sampled every 100 ms)', 'MB', (ours.peak_rss_sampled - ours.rss_before) / MB, (base.peak_rss - base.rss_before) / MB),
      ], details.enex);
      // a resource not stored is a warning: then the figure is of less work than it says
      if (ours.report.warnings_count) log.fail('import enex', `${ours.report.warnings_count} warnings (resources not stored?) — see the job's report`);
      rmSync(file, { force: true });
    });

    if (on('attachment')) await log.run('attachment sync', async () => {
      const src = join(scratch, 'video.mp4');
      const want = await writeRandomFile(src, size.attach_mib);
      progress(`wrote a ${size.attach_mib} MiB random file; baseline, then attachment.add on host A and the sync to B…`);
      const base = baseline('file', src, scratch);
      const ours = await measureAttachmentSync(src, want, scratch);
      details.attachment = { ours, baseline: base };
      const growth = (k: 'a' | 'b') => (ours.rss[k].peak_whole - ours.rss[k].before) / MB;
      const baseGrowth = (base.peak_rss - base.rss_before) / MB;
      log.record('attachment sync', [
        row(`${size.attach_mib} MiB attachment.add on host A (hash + encrypt + store)`, 's', ours.add_ms / 1000, base.ms / 1000),
        row('  until whole on paired host B (from the add)', 's', ours.whole_ms / 1000, base.ms / 1000),
        row('  RSS growth of A until whole on B', 'MB', growth('a'), baseGrowth, '≤ 100 MB', (v) => v <= 100),
        row('  RSS growth of B until whole on B', 'MB', growth('b'), baseGrowth, '≤ 100 MB', (v) => v <= 100),
      ], details.attachment);
      if (!ours.sha256_equal) log.fail('attachment sync', 'the file written out on B has a different SHA-256');
      if (ours.plaintext_pieces_found) log.fail('attachment sync', `${ours.plaintext_pieces_found} of ${ours.pieces_looked_for} 32-byte pieces of the file found under the data directories`);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return details;
}

/** The lines under the table: what the rows cannot say. */
export function importNotes(d: ImportDetails): string[] {
  const out: string[] = [];
  if (d.markdown) out.push(`import markdown: ours read ${d.markdown.ours.report.read}, imported ${d.markdown.ours.report.imported}, ${d.markdown.ours.report.warnings_count} warnings; host RSS ${(d.markdown.ours.rss_before / MB).toFixed(0)} MB unlocked before, ${(d.markdown.ours.peak_rss_sampled / MB).toFixed(0)} MB at most during the job (sampled; VmHWM also holds the start-up and unlock); baseline = read each file + XChaCha20-Poly1305 + one INSERT per file, one transaction each.`);
  if (d.enex) out.push(`import enex: host RSS ${(d.enex.ours.rss_before / MB).toFixed(0)} MB before, ${(d.enex.ours.peak_rss_sampled / MB).toFixed(0)} MB at most during the job (sampled); ${d.enex.ours.report.warnings_count} warnings; baseline = sax stream + notes sealed one row each + resources base64-decoded and secretstream-sealed in 64 KiB chunks.`);
  if (d.attachment) {
    const a = d.attachment.ours;
    out.push(`attachment sync: SHA-256 on B ${a.sha256_equal ? 'equal' : 'DIFFERENT'}; record listed on B after ${(a.listed_ms / 1000).toFixed(1)} s, written out by attachment.get after ${(a.opened_ms / 1000).toFixed(1)} s; ${a.plaintext_pieces_found} of ${a.pieces_looked_for} plaintext 32-byte pieces found on disk; baseline = 64 KiB reads + secretstream + INSERT, 4 MiB per transaction, one process (no transfer), so both time rows have the same baseline.`);
  }
  return out;
}
