import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './core-dist';
import { BENCH_PASSPHRASE } from './options';
import { procRss } from './stats';

export interface ExportResult {
  /** privacy.export called → its job done (written, signed, read back and verified) */
  ms: number;
  rss_before: number; peak_rss: number; bytes: number; files: number; memories: number;
}
export interface HostResult { rss: number; peak_rss: number; unlock_ms: number; first_search_ms: number; pid: number; export: ExportResult | null }

/**
 * The real host (`memoryos serve`, the dist/ build) in its own process on the populated data dir:
 * unlock and search over HTTP like the renderer does, then read its RSS from /proc.
 */
export async function measureHost(dataDir: string, query: string, exportOut?: string): Promise<HostResult> {
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
    const exported = exportOut ? await measureExport(callHost, child.pid!, exportOut) : null;
    return { rss: r.rss, peak_rss: r.peak, unlock_ms: t1 - t0, first_search_ms: t2 - t1, pid: child.pid!, export: exported };
  } finally {
    // our own child, by its pid: SIGTERM lets it release host.lock and close the database
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

/**
 * privacy.export of every memory through the host, as the privacy center starts it: the time
 * until its job is done, and the host's RSS sampled meanwhile (its peak growth over the unlocked,
 * searched host is the figure).
 */
async function measureExport(callHost: (m: string, p: unknown) => Promise<any>, pid: number, out: string): Promise<ExportResult> {
  const before = procRss(pid)!.rss;
  let peak = before;
  const t0 = performance.now();
  const { result } = await callHost('privacy.export', { out });
  let job = result.job;
  while (job.status === 'queued' || job.status === 'running') {
    await new Promise((r) => setTimeout(r, 50));
    peak = Math.max(peak, procRss(pid)?.rss ?? 0);
    job = (await callHost('job.get', { job_id: job.job_id })).result.job;
  }
  const ms = performance.now() - t0;
  if (job.status !== 'done') throw new Error(`the export ended ${job.status}: ${JSON.stringify(job.error)}`);
  return { ms, rss_before: before, peak_rss: peak, bytes: job.result.bytes, files: job.result.files, memories: job.result.memories };
}

function logTail(dataDir: string): string {
  try { return readFileSync(join(dataDir, 'logs', 'memoryos.log'), 'utf8').trim().split('\n').slice(-8).join('\n'); } catch { return '(no log)'; }
}
