/**
 * `npm run bench [-- --quick] [-- --n=50000] [-- --no-profile] [-- --no-sync | --sync-only] [-- --sync-n=10000]`:
 * the performance suite of spec §10.
 * Every figure is measured through the real router next to a baseline measured in the same run on
 * the same bytes (raw better-sqlite3-multiple-ciphers + libsodium; for sync, raw Yjs over TCP on loopback). Needs a
 * current build: `npx tsc -p tsconfig.json`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, staleSources } from './core-dist';
import { drive, type Samples } from './drive';
import { measureHost, type HostResult } from './host-rss';
import { codeVersion, machine } from './machine';
import { FULL, QUICK, type BenchSize } from './options';
import { row, table, type Row } from './report';
import { dirBytes, percentile, summarize } from './stats';
import { printProfile } from './print-profile';
import { runSync, type SyncResult } from './sync';
import { overlapLine, topOverlap } from './top-overlap';

const MB = 1024 * 1024;
const median = (xs: number[]) => percentile(xs, 50);

function sizeFromArgs(argv: string[]): BenchSize {
  const n = argv.find((a) => a.startsWith('--n='));
  const size = { ...(argv.includes('--quick') ? QUICK : FULL) };
  if (n) size.n = Number(n.slice(4));
  if (argv.includes('--no-profile')) size.profile = false;
  const sn = argv.find((a) => a.startsWith('--sync-n='));
  if (sn) size.sync_n = Number(sn.slice(9));
  if (!Number.isInteger(size.sync_n) || size.sync_n < 1) throw new Error('--sync-n must be a positive integer');
  if (!Number.isInteger(size.n) || size.n < size.batch) throw new Error(`--n must be an integer ≥ ${size.batch}`);
  return size;
}

/** The export's baseline in a fresh process: the same rows decrypted and written as the same files with the same ZIP writer. */
function baselineExport(dir: string, key: string, out: string): { ms: number; rss_before: number; peak_rss: number; bytes: number; files: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'export-baseline.ts'), dir, key, out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`export-baseline.ts failed with exit code ${r.status}`);
  return JSON.parse(r.stdout) as { ms: number; rss_before: number; peak_rss: number; bytes: number; files: number };
}

/** RSS of a fresh process that holds the baseline's searchable state (decrypted FTS5 of every memory). */
function baselineSearchableRss(dir: string, key: string, n: number): number {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'baseline-rss.ts'), dir, key, String(n)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`baseline-rss.ts failed with exit code ${r.status}`);
  return Number(r.stdout);
}

function figures(s: Samples, size: BenchSize, host: HostResult, baseRss: number, baseExport: ReturnType<typeof baselineExport> | null, disk: { ours: number; baseline: number }): Row[] {
  const o = { create: summarize(s.create_ms.ours), search: summarize(s.search.ms.ours) };
  const b = { create: summarize(s.create_ms.baseline), search: summarize(s.search.ms.baseline) };
  const rate = (ms: number[]) => size.n / (ms.reduce((a, x) => a + x, 0) / 1000);
  const kindP95 = (kind: string, side: 'ours' | 'baseline') => percentile(s.search.ms[side].filter((_, i) => s.search.queries[i]!.kind === kind), 95);
  const unlockO = median(s.unlock.ours.map((u) => u.total_ms)) / 1000;
  const unlockB = median(s.unlock.baseline.map((u) => u.total_ms)) / 1000;
  const argon2 = median(s.unlock.ours.map((u) => u.parts.argon2id_ms!)) / 1000;
  return [
    row('memory.create p50', 'ms', o.create.p50, b.create.p50),
    row('memory.create p95', 'ms', o.create.p95, b.create.p95, '≤ 2 ms', (v) => v <= 2),
    row(`bulk import (memory.import, ${size.batch}/call)`, 'memories/s', rate(s.import_ms.ours), rate(s.import_ms.baseline), '≥ 10,000/s', (v) => v >= 10_000),
    row('memory.search p50 (mixed queries)', 'ms', o.search.p50, b.search.p50),
    row('memory.search p95 (mixed queries)', 'ms', o.search.p95, b.search.p95, '≤ 10 ms or ≤ ½ baseline', (v) => v <= 10 || v <= b.search.p95 / 2),
    row('  search p95, one common word', 'ms', kindP95('common', 'ours'), kindP95('common', 'baseline')),
    row('  search p95, one rare word', 'ms', kindP95('rare', 'ours'), kindP95('rare', 'baseline')),
    row('  search p95, two common words', 'ms', kindP95('two-common', 'ours'), kindP95('two-common', 'baseline')),
    row('  search p95, person + common word', 'ms', kindP95('person+common', 'ours'), kindP95('person+common', 'baseline')),
    // the baseline gets the same Argon2id cost added: both sides must derive the key to unlock
    row('unlock → searchable (open, unlock, first search)', 's', unlockO, unlockB + argon2, '≤ 1 s', (v) => v <= 1),
    row('  of which Argon2id INTERACTIVE (both sides)', 's', argon2, argon2),
    row('  unlock → searchable without Argon2id', 's', unlockO - argon2, unlockB),
    row('RSS of the bench process after load', 'MB', s.rss_after_load.ours / MB, s.rss_after_load.baseline / MB),
    // the baseline holds sealed rows only (its index is rebuilt in memory): ours adds the persisted index and the log
    row('data directory on disk after load (baseline: sealed rows, no index)', 'MB', disk.ours / MB, disk.baseline / MB),
    row('host RSS, unlocked + searched (memoryos serve)', 'MB', host.rss / MB, baseRss / MB, '≤ 300 MB', (v) => v <= 300),
    ...(host.export && baseExport ? [
      row(`export of every memory (privacy.export, ${host.export.files.toLocaleString('en-US')} files, written + verified)`, 's', host.export.ms / 1000, baseExport.ms / 1000, '≤ 15 s', (v) => v <= 15),
      row('  export peak RSS growth over the unlocked host', 'MB', (host.export.peak_rss - host.export.rss_before) / MB, (baseExport.peak_rss - baseExport.rss_before) / MB, '≤ 150 MB', (v) => v <= 150),
    ] : []),
  ];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const size = sizeFromArgs(argv);
  const syncOnly = argv.includes('--sync-only');
  const withSync = !argv.includes('--no-sync');
  const stale = staleSources();
  if (stale.length) throw new Error(`dist/ is older than ${stale.length} source file(s) (e.g. ${stale[0]}): run \`npx tsc -p tsconfig.json\` first — the bench measures the build`);

  const started = new Date();
  const t0 = performance.now();
  const m = machine();
  const code = codeVersion(ROOT);
  const what = syncOnly ? `sync only, ${size.sync_n.toLocaleString('en-US')} memories` : `${size.n.toLocaleString('en-US')} memories of ~1 KB (+${size.warmup + size.creates} created one by one)${withSync ? `, sync ${size.sync_n.toLocaleString('en-US')}` : ''}`;
  process.stdout.write(`MemoryOS bench — ${what}, ${m.cpu}, ${m.cores} cores, Node ${m.node}, load average ${m.load_avg_at_start.join(' ')}, commit ${code.commit}${code.dirty_core_files ? ` + ${code.dirty_core_files} uncommitted core/contracts files` : ''}\n`);
  let core: { s: Samples; disk: { ours: number; baseline: number }; host: HostResult; baseRss: number; baseExport: ReturnType<typeof baselineExport> | null } | null = null;
  if (!syncOnly) {
    process.stdout.write('MemoryOS (router, dist/ build) and baseline (raw better-sqlite3-multiple-ciphers + libsodium), step by step, alternating…\n');
    const tmp = mkdtempSync(join(tmpdir(), 'memoryos-bench-'));
    try {
      const s = await drive(size, tmp);
      const disk = { ours: dirBytes(join(tmp, 'vault')), baseline: dirBytes(join(tmp, 'raw')) };
      process.stdout.write('host process (memoryos serve) and a fresh baseline process, for RSS…\n');
      const host = await measureHost(join(tmp, 'vault'), s.search.queries[0]!.query, join(tmp, 'export.zip'));
      process.stdout.write('export baseline (the same rows decrypted into the same ZIP writer) in a fresh process…\n');
      const baseExport = baselineExport(join(tmp, 'raw'), s.extras.baseline.key as string, join(tmp, 'export-baseline.zip'));
      core = { s, disk, host, baseRss: baselineSearchableRss(join(tmp, 'raw'), s.extras.baseline.key as string, size.n), baseExport };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  let sync: SyncResult | null = null;
  if (withSync) {
    process.stdout.write(`sync: two \`memoryos serve\` hosts paired on loopback (${size.sync_n.toLocaleString('en-US')} memories, ${size.sync_edits} edits), and raw Yjs over TCP…\n`);
    sync = await runSync(size);
  }

  const rows = [...(core ? figures(core.s, size, core.host, core.baseRss, core.baseExport, core.disk) : []), ...(sync?.rows ?? [])];
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write('\n' + table(rows) + '\n');
  process.stdout.write(`\nratio = cost relative to the baseline (time or memory ÷ baseline; for rates baseline ÷ ours). Targets are set for 100k memories (sync: 10k)${size.n < 100_000 || size.sync_n < 10_000 ? `: at ${syncOnly ? '' : `${size.n.toLocaleString('en-US')} / `}${size.sync_n.toLocaleString('en-US')} (sync) they are indicative only` : ''}.\n`);
  if (core) {
    const s = core.s;
    const hitsDiffer = s.search.hits.ours.filter((h, i) => h !== s.search.hits.baseline[i]).length;
    process.stdout.write(`search sanity: ${hitsDiffer === 0 ? 'every query returned as many hits as the baseline' : `${hitsDiffer} of ${s.search.hits.ours.length} queries returned a different number of hits than the baseline`}.\n`);
    process.stdout.write(overlapLine(topOverlap(s.search.queries, s.search.top.ours, s.search.top.baseline)) + '\n');
    printProfile(s, size);
  }
  if (sync) {
    const d = sync.details;
    process.stdout.write(`sync: initial sync seen by polling B over HTTP every ${d.initial.ours.poll_ms} ms, hosts' hello interval ${d.initial.ours.hello_ms} ms; an edit is seen by B's SYNC_APPLIED event on its WebSocket (${d.edit.late_events} of ${d.edit.edits} events came before memory.get showed the body); baseline initial runs ${d.initial.baseline.runs_ms.map((x) => (x / 1000).toFixed(2)).join(' / ')} s (median reported), ${(d.initial.baseline.bytes / 2 ** 20).toFixed(1)} MB of Yjs updates; baseline edit = Y.Text update round trip (edit → applied on the peer → 1-byte ack).\n`);
  }
  process.stdout.write(`\nwall time ${wall.toFixed(0)} s, load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on this machine skews every figure)\n`);

  const json = {
    date: started.toISOString(), code, command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`, wall_s: Math.round(wall),
    machine: { ...m, load_avg_at_end: loadavg().map((x) => Math.round(x * 100) / 100) }, size: { ...size, total_memories: size.n + size.warmup + size.creates },
    figures: rows,
    details: core ? { ...coreDetails(core.s, core.host, core.baseRss), export_baseline: core.baseExport } : {},
    sync: sync?.details ?? null,
  };
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  if (syncOnly) {
    // a partial run never replaces the full suite's bench.json
    writeFileSync(join(ROOT, 'test-results', `bench-sync-${size.sync_n}.json`), JSON.stringify(json, null, 2));
    process.stdout.write(`written test-results/bench-sync-${size.sync_n}.json\n`);
    return;
  }
  writeFileSync(join(ROOT, 'test-results', 'bench.json'), JSON.stringify(json, null, 2));
  writeFileSync(join(ROOT, 'test-results', `bench-${size.n}.json`), JSON.stringify(json, null, 2));
  process.stdout.write('written test-results/bench.json\n');
}

function coreDetails(s: Samples, host: HostResult, baseRss: number) {
  const { key: _key, ...baseExtras } = s.extras.baseline;
  const hitsDiffer = s.search.hits.ours.filter((h, i) => h !== s.search.hits.baseline[i]).length;
  return {
    import_batch_ms: { ours: summarize(s.import_ms.ours), baseline: summarize(s.import_ms.baseline) },
    create_ms: { ours: summarize(s.create_ms.ours), baseline: summarize(s.create_ms.baseline) },
    search_ms: { ours: summarize(s.search.ms.ours), baseline: summarize(s.search.ms.baseline) },
    search_hit_mismatches: hitsDiffer,
    search_top20: topOverlap(s.search.queries, s.search.top.ours, s.search.top.baseline),
    unlock: s.unlock,
    rss_after_load: s.rss_after_load, host, baseline_searchable_rss: baseRss,
    ours: s.extras.ours, baseline: baseExtras,
  };
}

main().catch((e) => { process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
