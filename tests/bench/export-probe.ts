/**
 * Export iteration without the whole bench (issue 11's export figure): a fresh vault with `n`
 * memories imported, then one privacy.export timed (call → job done, as the bench's host step
 * measures it) on a re-opened, searched vault (the bench's host is at that point) with its RSS
 * sampled meanwhile, and a second one CPU-profiled, printing where its time goes.
 * It measures the dist/ build like the bench: `npx tsc -p tsconfig.json` first.
 *
 *   npx tsx --expose-gc tests/bench/export-probe.ts /tmp/export-vault [n=20000]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { core } from './core-dist';
import { memoryAt } from './corpus';
import { cpuProfile } from './cpu-profile';
import { printProbeProfile } from './print-profile';
import { BENCH_PASSPHRASE, FULL } from './options';

const INCLUSIVE_TOP = 40;

type Call = (method: string, params: unknown) => Promise<unknown>;
interface JobView { job_id: string; status: string; result?: { files: number; memories: number; bytes: number }; error?: unknown }

async function exportOnce(call: Call, out: string): Promise<JobView> {
  let { job } = (await call('privacy.export', { out })) as { job: JobView };
  while (job.status === 'queued' || job.status === 'running') {
    await new Promise((r) => setTimeout(r, 20));
    job = ((await call('job.get', { job_id: job.job_id })) as { job: JobView }).job;
  }
  if (job.status !== 'done') throw new Error(`the export ended ${job.status}: ${JSON.stringify(job.error)}`);
  return job;
}

const MB = 2 ** 20;
type Usage = NodeJS.MemoryUsage;
const usageLine = (u: Usage, base: Usage) => (['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const)
  .map((k) => `${k} ${((u[k] - base[k]) / MB).toFixed(1)}`).join(', ');

/** the process's RSS every 20 ms while `work` runs: the sample at the peak, beside the one before */
async function sampledPeak<T>(work: () => Promise<T>): Promise<{ result: T; before: Usage; peak: Usage }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let peak = before;
  const timer = setInterval(() => { const u = process.memoryUsage(); if (u.rss > peak.rss) peak = u; }, 20);
  try { return { result: await work(), before, peak }; } finally { clearInterval(timer); }
}

async function main(): Promise<void> {
  const [dir, nArg] = process.argv.slice(2);
  if (!dir) throw new Error('usage: export-probe.ts <dir> [n]');
  const n = Number(nArg ?? 20_000);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const options = { dataDir: join(dir, 'vault'), scheduler: { intervalMs: 1000 } };
  let app = await core.app().openApp(options);
  const space = ((await app.call('vault.create', { passphrase: BENCH_PASSPHRASE, name: 'Bench' })) as { personal_space_id: string }).personal_space_id;
  for (let b = 0; b < n / FULL.batch; b++) {
    await app.call('memory.import', { space_id: space, memories: Array.from({ length: FULL.batch }, (_, k) => memoryAt(b * FULL.batch + k, n)) });
  }
  // as the bench's host: a fresh process state would be closer still, a re-opened vault is near it
  await app.close();
  app = await core.app().openApp(options);
  await app.call('vault.unlock', { passphrase: BENCH_PASSPHRASE });
  await app.call('memory.search', { query: 'family', limit: 20 });
  const call: Call = (m, p) => app.call(m, p);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { result: job, before, peak } = await sampledPeak(() => exportOnce(call, join(dir, 'a.zip')));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(`load ${loadavg()[0]!.toFixed(2)}; export of ${job.result!.memories} memories (${job.result!.files} files): ${wall.toFixed(0)} ms wall = ${(wall * 1000 / n).toFixed(0)} µs/memory, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
  console.log(`growth at the RSS peak over the searched vault (MB): ${usageLine(peak, before)}`);
  const p = await cpuProfile(async () => { await exportOnce(call, join(dir, 'b.zip')); }, INCLUSIVE_TOP);
  printProbeProfile(p, n, 'memory');
  await app.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
