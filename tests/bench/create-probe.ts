/**
 * memory.create's latency on a copy of a kept 100k vault (search-probe.ts make), one create
 * after another as the bench times them, with the scheduler's tick: prints p50/p95/p99 and how
 * many creates took over 3 ms. `--no-tick`: without the scheduler. `--automerge=N` sets both
 * FTS5 tables' automerge first (a persistent option of the copy), to see what FTS5's incremental
 * merges cost inside a create.
 *
 *   npx tsx tests/bench/create-probe.ts /tmp/search-vault [creates=2000] [--automerge=N]
 */
import { extraMemoryAt } from './corpus';
import { percentile } from './stats';
import { withVaultCopy } from './vault-copy';

async function main(): Promise<void> {
  const [src = '/tmp/search-vault', count = '2000'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const automerge = process.argv.find((a) => a.startsWith('--automerge='))?.slice(12);
  const tick = !process.argv.includes('--no-tick');
  await withVaultCopy(src, 'create-probe', tick ? { scheduler: { intervalMs: 1000 } } : {}, async (app, space, db) => {
    if (automerge !== undefined) for (const t of ['search_fts', 'search_lead']) db.prepare(`INSERT INTO ${t} (${t}, rank) VALUES ('automerge', ${Number(automerge)})`).run();
    const ms: number[] = [];
    for (let j = 0; j < Number(count); j++) {
      const t0 = performance.now();
      await app.call('memory.create', { space_id: space, ...extraMemoryAt(100_000 + j, 100_000) });
      ms.push(performance.now() - t0);
      // back to the event loop between calls, as a host's next request comes: an in-process call
      // resolves in microtasks alone, and the scheduler's tick would never run
      if (tick) await new Promise((r) => setImmediate(r));
    }
    const f = (x: number) => x.toFixed(2);
    console.log(JSON.stringify({ automerge: automerge ?? 'as stored', tick, creates: ms.length, p50: f(percentile(ms, 50)), p95: f(percentile(ms, 95)), p99: f(percentile(ms, 99)), over3ms: ms.filter((x) => x > 3).length, max: f(Math.max(...ms)) }));
  });
}
main().catch((e: Error) => { process.stderr.write(`${e.stack ?? e.message}\n`); process.exit(1); });
