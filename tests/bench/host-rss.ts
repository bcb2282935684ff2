import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './core-dist';
import { BENCH_PASSPHRASE, progress } from './options';
import { describe } from './phases';
import { procRss } from './stats';

export interface ExportResult {
  /** privacy.export called → its job done (written and signed; reading it back is privacy.verifyExport, a job of its own) */
  ms: number;
  rss_before: number; peak_rss: number; bytes: number; files: number; memories: number;
}
export interface HostResult {
  rss: number; peak_rss: number; unlock_ms: number; first_search_ms: number; pid: number;
  export: ExportResult | null;
  /** why the export step failed (the host figures above still stand) */
  export_error: string | null;
}

/** one HTTP call to the host: a call that hangs this long is a failure, not a wait */
const CALL_TIMEOUT_MS = 120_000;
/** job.get calls in a row that may fail (a busy host, a dropped connection) before the export counts as failed */
const POLL_RETRIES = 5;
const POLL_MS = 50;
const PROGRESS_EVERY_MS = 10_000;

/**
 * The real host (`memoryos serve`, the dist/ build) in its own process on the populated data dir:
 * unlock and search over HTTP like the renderer does, then read its RSS from /proc.
 */
export async function measureHost(dataDir: string, query: string, exportOut?: string, onHost?: (h: HostResult) => void): Promise<HostResult> {
  const env = { ...process.env };
  delete env.MEMORYOS_PASSPHRASE; // start locked; we unlock over the API with the bench passphrase
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'memoryos.js'), '--data-dir', dataDir, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const ready = await new Promise<{ port: number }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { port: number });
      });
      child.once('exit', (code) => reject(new Error(`host exited with ${code} before listening`)));
    });
    const { token } = JSON.parse(readFileSync(join(dataDir, 'host.lock'), 'utf8')) as { token: string };
    const callHost = async (method: string, params: unknown) => {
      const res = await fetch(`http://127.0.0.1:${ready.port}/api/call`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ method, params }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`${method} → HTTP ${res.status}: ${await res.text()}\nhost log (no content is ever logged):\n${logTail(dataDir)}`);
      return res.json();
    };
    const t0 = performance.now();
    await callHost('vault.unlock', { passphrase: BENCH_PASSPHRASE });
    const t1 = performance.now();
    await callHost('memory.search', { query, limit: 20 });
    const t2 = performance.now();
    const r = procRss(child.pid!);
    if (!r) throw new Error('cannot read /proc/<pid>/status (not Linux?)');
    const host: HostResult = { rss: r.rss, peak_rss: r.peak, unlock_ms: t1 - t0, first_search_ms: t2 - t1, pid: child.pid!, export: null, export_error: null };
    onHost?.(host); // reported before the export, which is the longest step
    if (exportOut) {
      try {
        host.export = await measureExport(callHost, child, exportOut);
      } catch (e) {
        host.export_error = describe(e);
      }
    }
    return host;
  } finally {
    // our own child, by its pid: SIGTERM lets it release host.lock and close the database
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // a host stuck in a long synchronous step never gets to its SIGTERM handler: then SIGKILL, so the run goes on
      const stuck = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(stuck);
    }
  }
}

/**
 * privacy.export of every memory through the host, as the privacy center starts it: the time
 * until its job is done, and the host's RSS sampled meanwhile (its peak growth over the unlocked,
 * searched host is the figure).
 */
async function measureExport(callHost: (m: string, p: unknown) => Promise<any>, child: ChildProcess, out: string): Promise<ExportResult> {
  const pid = child.pid!;
  const before = procRss(pid)!.rss;
  let peak = before;
  const t0 = performance.now();
  // the call answers at once with a job; the work is polled, never awaited on one open request
  const { result } = await callHost('privacy.export', { out });
  let job = result.job;
  let failures = 0;
  let shown = performance.now();
  while (job.status === 'queued' || job.status === 'running') {
    await new Promise((r) => setTimeout(r, POLL_MS));
    peak = Math.max(peak, procRss(pid)?.rss ?? 0);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the host exited (${child.exitCode ?? child.signalCode}) during the export, at ${job.progress?.done ?? '?'}/${job.progress?.total ?? '?'}`);
    try {
      job = (await callHost('job.get', { job_id: job.job_id })).result.job;
      failures = 0;
    } catch (e) {
      if (++failures > POLL_RETRIES) throw new Error(`job.get failed ${failures} times in a row`, { cause: e });
      progress(`export: job.get failed (${describe(e)}), trying again`);
      continue;
    }
    if (performance.now() - shown >= PROGRESS_EVERY_MS) {
      shown = performance.now();
      progress(`export: ${job.progress.done}/${job.progress.total} after ${((shown - t0) / 1000).toFixed(0)} s, host RSS ${((procRss(pid)?.rss ?? 0) / 2 ** 20).toFixed(0)} MB`);
    }
  }
  const ms = performance.now() - t0;
  if (job.status !== 'done') throw new Error(`the export ended ${job.status}: ${JSON.stringify(job.error)}`);
  return { ms, rss_before: before, peak_rss: peak, bytes: job.result.bytes, files: job.result.files, memories: job.result.memories };
}

function logTail(dataDir: string): string {
  try { return readFileSync(join(dataDir, 'logs', 'memoryos.log'), 'utf8').trim().split('\n').slice(-8).join('\n'); } catch { return '(no log)'; }
}
