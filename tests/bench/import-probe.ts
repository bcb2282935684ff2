/**
 * Import iteration without the whole bench (issue 11 item 4): a fresh vault, `warm` memories
 * imported first, then `batches` more batches of 1,000 timed (wall and CPU) and CPU-profiled,
 * printing where the time goes (component self time, core inclusive time, SQLite by caller).
 * It measures the dist/ build like the bench: `npx tsc -p tsconfig.json` first.
 *
 * With `creates` > 0 it then times and profiles that many memory.create calls one by one, the
 * create p50/p95 of the bench at this vault's size.
 *
 *   npx tsx tests/bench/import-probe.ts /tmp/import-vault [warm=20000] [batches=10] [creates=0]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { core } from './core-dist';
import { extraMemoryAt, memoryAt } from './corpus';
import { cpuProfile } from './cpu-profile';
import { printProbeProfile } from './print-profile';
import { BENCH_PASSPHRASE, FULL } from './options';
import { percentile } from './stats';

/** core functions listed by inclusive time */
const INCLUSIVE_TOP = 40;

async function main(): Promise<void> {
  const [dir, warmArg, batchArg, createArg] = process.argv.slice(2);
  if (!dir) throw new Error('usage: import-probe.ts <dir> [warm] [batches] [creates]');
  const warm = Number(warmArg ?? 20_000);
  const batches = Number(batchArg ?? 10);
  const creates = Number(createArg ?? 0);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const app = await core.app().openApp({ dataDir: join(dir, 'vault'), scheduler: { intervalMs: 1000 } });
  const space = ((await app.call('vault.create', { passphrase: BENCH_PASSPHRASE, name: 'Bench' })) as { personal_space_id: string }).personal_space_id;
  const n = warm + batches * FULL.batch;
  const batch = (b: number) => Array.from({ length: FULL.batch }, (_, k) => memoryAt(b * FULL.batch + k, n));
  for (let b = 0; b < warm / FULL.batch; b++) await app.call('memory.import', { space_id: space, memories: batch(b) });
  const first = warm / FULL.batch;
  // timed without the profiler
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let b = first; b < first + batches / 2; b++) await app.call('memory.import', { space_id: space, memories: batch(b) });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const done = (batches / 2) * FULL.batch;
  console.log(`load ${loadavg()[0]!.toFixed(2)}; ${done} imported after ${warm}: ${(done / wall * 1000).toFixed(0)}/s wall, ${(done / ((cpu.user + cpu.system) / 1000) * 1000).toFixed(0)}/s CPU`);
  const p = await cpuProfile(async () => {
    for (let b = first + batches / 2; b < first + batches; b++) await app.call('memory.import', { space_id: space, memories: batch(b) });
  }, INCLUSIVE_TOP);
  printProbeProfile(p, (batches / 2) * FULL.batch, 'memory');
  if (creates > 0) {
    const ms: number[] = [];
    for (let j = 0; j < creates; j++) {
      const t = performance.now();
      await app.call('memory.create', { space_id: space, ...extraMemoryAt(j, n) });
      ms.push(performance.now() - t);
    }
    console.log(`\n${creates} creates after ${n}: p50 ${percentile(ms, 50).toFixed(2)} ms, p95 ${percentile(ms, 95).toFixed(2)} ms`);
    const q = await cpuProfile(async () => {
      for (let j = creates; j < 2 * creates; j++) await app.call('memory.create', { space_id: space, ...extraMemoryAt(j, n) });
    }, INCLUSIVE_TOP);
    printProbeProfile(q, creates, 'create');
  }
  await app.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
