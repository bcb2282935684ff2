import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { core } from './core-dist';
import { memoryAt, extraMemoryAt } from './corpus';
import { percentile } from './stats';
const variant = process.argv[2] ?? 'plain';
(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'diag-'));
  const app = await core.app().openApp({ dataDir: dir });
  const { personal_space_id: space } = await app.router.call('vault.create', { passphrase: 'diag passphrase', name: 'D' }) as any;
  for (let s = 0; s < 10000; s += 1000) await app.router.call('memory.import', { space_id: space, memories: Array.from({ length: 1000 }, (_, k) => memoryAt(s + k, 10000)) });
  if (variant === 'nockpt') app.ctx.db.pragma('wal_autocheckpoint = 0');
  if (variant === 'noindex') { app.ctx.search?.close(); app.ctx.search = null; }
  let gcMs = 0; const gcs: number[] = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) { gcMs += e.duration; gcs.push(e.startTime); } }).observe({ entryTypes: ['gc'] });
  const ms: number[] = []; const starts: number[] = []; const wal: number[] = [];
  for (let j = 0; j < 1000; j++) {
    const m = extraMemoryAt(j, 10000);
    const t = performance.now(); starts.push(t);
    await app.router.call('memory.create', { space_id: space, ...m });
    ms.push(performance.now() - t);
    wal.push(statSync(join(dir, 'memoryos.db-wal')).size);
  }
  await new Promise((r) => setTimeout(r, 50));
  const slow = ms.map((v, i) => [v, i] as const).filter(([v]) => v > 3);
  let ckpt = 0, gcHit = 0;
  for (const [, i] of slow) { if (i > 0 && wal[i]! < wal[i - 1]!) ckpt++; if (gcs.some((g) => g >= starts[i]! && g <= starts[i]! + ms[i]!)) gcHit++; }
  console.log(variant, 'p50', percentile(ms, 50).toFixed(2), 'p90', percentile(ms, 90).toFixed(2), 'p95', percentile(ms, 95).toFixed(2), 'p99', percentile(ms, 99).toFixed(2), 'slow(>3ms)', slow.length, 'with wal reset', ckpt, 'with gc', gcHit, 'gc total ms', gcMs.toFixed(0));
  await app.close(); rmSync(dir, { recursive: true });
})();
