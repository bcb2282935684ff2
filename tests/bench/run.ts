/**
 * `npm run bench [-- --quick] [-- --n=50000] [-- --no-profile]`: the performance suite of spec §10.
 * Each figure is measured through the real router and next to a baseline measured in the same run
 * on the same bytes (raw better-sqlite3 + libsodium). Measuring happens in child processes, one
 * after the other, so each side's RSS is its own and the two never compete for the CPU.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, staleSources } from './core-dist';
import { queries } from './corpus';
import { measureHost, type HostResult } from './host-rss';
import { machine } from './machine';
import { FULL, QUICK, type BenchSize, type ChildArgs } from './options';
import { row, table, type Row } from './report';
import type { BaselineResult, OursResult } from './results';

const MB = 1024 * 1024;

function sizeFromArgs(argv: string[]): BenchSize {
  const n = argv.find((a) => a.startsWith('--n='));
  const size = { ...(argv.includes('--quick') ? QUICK : FULL) };
  if (n) size.n = Number(n.slice(4));
  if (argv.includes('--no-profile')) size.profile = false;
  if (!Number.isInteger(size.n) || size.n < size.batch) throw new Error(`--n must be an integer ≥ ${size.batch}`);
  return size;
}

/** Runs one measuring child to completion (tsx for the bench's own TypeScript, --expose-gc for steadier RSS). */
function runChild<T>(file: string, args: ChildArgs): T {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, file), JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${file} (${args.mode ?? 'run'}) failed with exit code ${r.status}`);
  return JSON.parse(readFileSync(args.out, 'utf8')) as T;
}

function rows(o: OursResult, b: BaselineResult, bSearchableRss: number, host: HostResult): Row[] {
  const argon2 = o.unlock.argon2id_ms / 1000;
  return [
    row('memory.create p50', 'ms', o.create.p50, b.create.p50),
    row('memory.create p95', 'ms', o.create.p95, b.create.p95, '≤ 2 ms', (v) => v <= 2),
    row('bulk import (memory.import, 1000/call)', 'memories/s', o.import.per_s, b.import.per_s, '≥ 10,000/s', (v) => v >= 10_000),
    row('memory.search p50 (mixed queries)', 'ms', o.search.all.p50, b.search.all.p50),
    row('memory.search p95 (mixed queries)', 'ms', o.search.all.p95, b.search.all.p95, '≤ 10 ms', (v) => v <= 10),
    row('  search p95, one common word', 'ms', o.search.by_kind.common.p95, b.search.by_kind.common.p95),
    row('  search p95, one rare word', 'ms', o.search.by_kind.rare.p95, b.search.by_kind.rare.p95),
    row('  search p95, two common words', 'ms', o.search.by_kind['two-common'].p95, b.search.by_kind['two-common'].p95),
    row('  search p95, person + common word', 'ms', o.search.by_kind['person+common'].p95, b.search.by_kind['person+common'].p95),
    // the baseline gets the same Argon2id cost added: both sides must derive the key to unlock
    row('unlock → searchable (open, unlock, first search)', 's', o.unlock.total_ms / 1000, b.unlock.total_ms / 1000 + argon2, '≤ 3 s', (v) => v <= 3),
    row('  of which Argon2id INTERACTIVE (both sides)', 's', argon2, argon2),
    row('  unlock → searchable without Argon2id', 's', o.unlock.total_ms / 1000 - argon2, b.unlock.total_ms / 1000),
    row('RSS of the bench process after load', 'MB', o.rss.after_load / MB, b.rss.after_load / MB),
    row('host RSS, unlocked + searched (memoryos serve)', 'MB', host.rss / MB, bSearchableRss / MB, '≤ 600 MB', (v) => v <= 600),
  ];
}

async function main(): Promise<void> {
  const size = sizeFromArgs(process.argv.slice(2));
  const stale = staleSources();
  if (stale.length) throw new Error(`dist/ is older than ${stale.length} source file(s) (e.g. ${stale[0]}): run \`npx tsc -p tsconfig.json\` first — the bench measures the build`);

  const started = new Date();
  const t0 = performance.now();
  const m = machine();
  const total = size.n + size.warmup + size.creates;
  process.stdout.write(`MemoryOS bench — ${size.n.toLocaleString('en-US')} memories of ~1 KB (+${size.warmup + size.creates} created one by one), ${m.cpu}, ${m.cores} cores, Node ${m.node}, load average ${m.load_avg_at_start.join(' ')}\n`);

  const tmp = mkdtempSync(join(tmpdir(), 'memoryos-bench-'));
  let ours: OursResult, base: BaselineResult, host: HostResult, searchableRss: number;
  try {
    const common = { ...size, mode: 'full' as const };
    process.stdout.write('MemoryOS (router, dist/ build)…\n');
    ours = runChild<OursResult>('ours.ts', { ...common, dir: join(tmp, 'vault'), out: join(tmp, 'ours.json') });
    process.stdout.write('host process (memoryos serve)…\n');
    host = await measureHost(join(tmp, 'vault'), queries(size.n, 1)[0]!.query);
    process.stdout.write('baseline (raw better-sqlite3 + libsodium)…\n');
    mkdirSync(join(tmp, 'raw'));
    base = runChild<BaselineResult>('baseline.ts', { ...common, dir: join(tmp, 'raw'), out: join(tmp, 'base.json') });
    searchableRss = runChild<{ rss: number }>('baseline.ts', { ...common, mode: 'searchable', key: base.key, dir: join(tmp, 'raw'), out: join(tmp, 'base-rss.json') } as ChildArgs).rss;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const hitsDiffer = ours.search.hits.filter((h, i) => h !== base.search.hits[i]).length;
  const figures = rows(ours, base, searchableRss, host);
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write('\n' + table(figures) + '\n');
  process.stdout.write(`\nratio = cost relative to the baseline (time or memory ÷ baseline; for rates baseline ÷ ours). Targets are set for 100k memories${size.n < 100_000 ? `: at ${size.n.toLocaleString('en-US')} they are indicative only` : ''}.\n`);
  process.stdout.write(`search sanity: ${hitsDiffer === 0 ? 'every query returned as many hits as the baseline' : `${hitsDiffer} of ${ours.search.hits.length} queries returned a different number of hits than the baseline`}.\n`);
  if (ours.profile) printProfile(ours);
  process.stdout.write(`\nwall time ${wall.toFixed(0)} s, load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on this machine skews every figure)\n`);

  const { key: _key, ...baseOut } = base;
  const json = {
    date: started.toISOString(), command: `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    wall_s: Math.round(wall), machine: { ...m, load_avg_at_end: loadavg().map((x) => Math.round(x * 100) / 100) }, size: { ...size, total_memories: total }, figures,
    details: { ours, baseline: { ...baseOut, searchable_rss: searchableRss }, host, search_hit_mismatches: hitsDiffer },
  };
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'bench.json'), JSON.stringify(json, null, 2));
  writeFileSync(join(ROOT, 'test-results', `bench-${size.n}.json`), JSON.stringify(json, null, 2));
  process.stdout.write(`written test-results/bench.json\n`);
}

function printProfile(o: OursResult): void {
  for (const [name, p] of Object.entries(o.profile!)) {
    process.stdout.write(`\nwhere ${name === 'unlock' ? 'vault.unlock (with the index build)' : 'memory.' + name} spends its CPU (profiled after timing, ${p.total_ms.toFixed(0)} ms sampled):\n`);
    for (const c of p.by_component.slice(0, 12)) process.stdout.write(`  ${c.pct.toFixed(1).padStart(5)} %  ${c.component}\n`);
    process.stdout.write('  inclusive, core functions:\n');
    for (const f of p.core_inclusive.slice(0, 14)) process.stdout.write(`  ${f.pct.toFixed(1).padStart(5)} %  ${f.fn}\n`);
    process.stdout.write('  SQLite and CSPRNG time by calling core function:\n');
    for (const f of p.native_by_caller.slice(0, 10)) process.stdout.write(`  ${f.pct.toFixed(1).padStart(5)} %  ${f.component} ← ${f.caller}\n`);
  }
  if (o.pieces) {
    process.stdout.write(`\npieces timed alone (µs each × times per call):\n`);
    for (const p of o.pieces.pieces) process.stdout.write(`  ${p.us_each.toFixed(1).padStart(8)} µs × ${String(p.per_create).padStart(4)} = ${p.us_per_create.toFixed(0).padStart(5)} µs/create, ${p.us_per_import_item.toFixed(0).padStart(5)} µs/imported  ${p.piece}\n`);
    process.stdout.write(`  modeled: ${o.pieces.modeled_us_per_create.toFixed(0)} µs per memory.create (measured p50 ${(o.create.p50 * 1000).toFixed(0)} µs), ${o.pieces.modeled_us_per_import_item.toFixed(0)} µs per imported memory (measured ${(1e6 / o.import.per_s).toFixed(0)} µs)\n`);
  }
}

main().catch((e) => { process.stderr.write(`bench failed: ${(e as Error).message}\n`); process.exit(1); });
