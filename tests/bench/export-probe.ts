/**
 * Export iteration without the whole bench (issue 11's export figure): a fresh vault with `n`
 * memories imported, then one privacy.export timed (call → job done, as the bench's host step
 * measures it) and a second one CPU-profiled, printing where its time goes.
 * It measures the dist/ build like the bench: `npx tsc -p tsconfig.json` first.
 *
 *   npx tsx tests/bench/export-probe.ts /tmp/export-vault [n=20000]
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

async function main(): Promise<void> {
  const [dir, nArg] = process.argv.slice(2);
  if (!dir) throw new Error('usage: export-probe.ts <dir> [n]');
  const n = Number(nArg ?? 20_000);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const app = await core.app().openApp({ dataDir: join(dir, 'vault'), scheduler: { intervalMs: 1000 } });
  const call: Call = (m, p) => app.call(m, p);
  const space = ((await call('vault.create', { passphrase: BENCH_PASSPHRASE, name: 'Bench' })) as { personal_space_id: string }).personal_space_id;
  for (let b = 0; b < n / FULL.batch; b++) {
    await call('memory.import', { space_id: space, memories: Array.from({ length: FULL.batch }, (_, k) => memoryAt(b * FULL.batch + k, n)) });
  }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const job = await exportOnce(call, join(dir, 'a.zip'));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(`load ${loadavg()[0]!.toFixed(2)}; export of ${job.result!.memories} memories (${job.result!.files} files): ${wall.toFixed(0)} ms wall = ${(wall * 1000 / n).toFixed(0)} µs/memory, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
  const p = await cpuProfile(async () => { await exportOnce(call, join(dir, 'b.zip')); }, INCLUSIVE_TOP);
  printProbeProfile(p, n, 'memory');
  await app.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
