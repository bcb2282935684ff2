/**
 * `npm run bench [-- --quick] [-- --n=50000] [-- --no-profile] [-- --no-sync | --sync-only] [-- --sync-n=10000]
 *                [-- --import | --import-only] [-- --import-n=100000] [-- --enex-mb=1024] [-- --attach-mb=100]
 *                [-- --import-phases=markdown,enex,attachment] [-- --help]`:
 * the performance suite of spec §10.
 * Every figure is measured through the real router next to a baseline measured in the same run on
 * the same bytes (raw better-sqlite3-multiple-ciphers + libsodium; for sync, raw Yjs over TCP on loopback). Needs a
 * current build: `npx tsc -p tsconfig.json`.
 * `--import` adds issue 12's import and attachment phases (import-phases.ts): a Markdown folder
 * of the corpus and a large ENEX through `import.run` on a real host (rate, the host's peak RSS),
 * and an attachment added on one host and synced to a paired one (times, both RSS growths,
 * SHA-256), each beside raw read + encrypt + insert of the same bytes in a fresh process;
 * `--import-only` runs just those.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, staleSources } from './core-dist';
import { drive, SEARCH_AFTER_CREATE, type Samples } from './drive';
import { measureHost, type ExportResult, type HostResult } from './host-rss';
import { codeVersion, machine } from './machine';
import { FULL, IMPORT_PHASES, QUICK, type BenchSize, type ImportPhase } from './options';
import { row, table, type Row } from './report';
import { dirBytes, percentile, summarize } from './stats';
import { PhaseLog } from './phases';
import { printProfile } from './print-profile';
import { runSync, type SyncResult } from './sync';
import { overlapLine, topOverlap } from './top-overlap';
import { importNotes, runImportPhases, type ImportDetails } from './import-phases';

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
  for (const [flag, key] of [['--import-n=', 'import_n'], ['--enex-mb=', 'enex_mb'], ['--attach-mb=', 'attach_mib']] as const) {
    const a = argv.find((x) => x.startsWith(flag));
    if (a) size[key] = Number(a.slice(flag.length));
    if (!Number.isInteger(size[key]) || size[key] < 1) throw new Error(`${flag.slice(0, -1)} must be a positive integer`);
  }
  const ip = argv.find((a) => a.startsWith('--import-phases='));
  if (ip) {
    size.import_phases = ip.slice('--import-phases='.length).split(',') as ImportPhase[];
    if (!size.import_phases.every((p) => IMPORT_PHASES.includes(p))) throw new Error(`--import-phases: a comma-separated list of ${IMPORT_PHASES.join(', ')}`);
  }
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

type BaselineExport = ReturnType<typeof baselineExport>;

/** The rows of one phase, from what that phase measured (each written as soon as it ends: phases.ts). */
const phaseRows = {
  import: (s: Samples, size: BenchSize): Row[] => {
    // memories imported ÷ summed call time (every batch is full but the last)
    const rate = (ms: number[]) => Math.min(size.n, ms.length * size.batch) / (ms.reduce((a, x) => a + x, 0) / 1000);
    return [row(`bulk import (memory.import, ${size.batch}/call)`, 'memories/s', rate(s.import_ms.ours), rate(s.import_ms.baseline), '≥ 10,000/s', (v) => v >= 10_000)];
  },
  create: (s: Samples): Row[] => {
    const o = summarize(s.create_ms.ours);
    const b = summarize(s.create_ms.baseline);
    return [row('memory.create p50', 'ms', o.p50, b.p50), row('memory.create p95', 'ms', o.p95, b.p95, '≤ 2 ms', (v) => v <= 2)];
  },
  search: (s: Samples): Row[] => {
    const o = summarize(s.search.ms.ours);
    const b = summarize(s.search.ms.baseline);
    const kindP95 = (kind: string, side: 'ours' | 'baseline') => percentile(s.search.ms[side].filter((_, i) => s.search.queries[i]!.kind === kind), 95);
    return [
      row('memory.search p50 (mixed queries)', 'ms', o.p50, b.p50),
      row('memory.search p95 (mixed queries)', 'ms', o.p95, b.p95, '≤ 10 ms or ≤ ½ baseline', (v) => v <= 10 || v <= b.p95 / 2),
      row('  search p95, one common word', 'ms', kindP95('common', 'ours'), kindP95('common', 'baseline')),
      row('  search p95, one rare word', 'ms', kindP95('rare', 'ours'), kindP95('rare', 'baseline')),
      row('  search p95, two common words', 'ms', kindP95('two-common', 'ours'), kindP95('two-common', 'baseline')),
      row('  search p95, person + common word', 'ms', kindP95('person+common', 'ours'), kindP95('person+common', 'baseline')),
    ];
  },
  searchAfterCreate: (s: Samples): Row[] => {
    const o = summarize(s.search_after_create_ms.ours);
    const b = summarize(s.search_after_create_ms.baseline);
    return [row(`memory.search right after a memory.create p95 (one common word, ${s.search_after_create_ms.ours.length} pairs)`, 'ms', o.p95, b.p95)];
  },
  unlock: (s: Samples): Row[] => {
    const unlockO = median(s.unlock.ours.map((u) => u.total_ms)) / 1000;
    const unlockB = median(s.unlock.baseline.map((u) => u.total_ms)) / 1000;
    const argon2 = median(s.unlock.ours.map((u) => u.parts.argon2id_ms!)) / 1000;
    return [
      // the baseline gets the same Argon2id cost added: both sides must derive the key to unlock
      row('unlock → searchable (open, unlock, first search)', 's', unlockO, unlockB + argon2, '≤ 1 s', (v) => v <= 1),
      row('  of which Argon2id INTERACTIVE (both sides)', 's', argon2, argon2),
      row('  unlock → searchable without Argon2id', 's', unlockO - argon2, unlockB),
    ];
  },
  rss: (s: Samples): Row[] => [row('RSS of the bench process after load', 'MB', s.rss_after_load.ours / MB, s.rss_after_load.baseline / MB)],
  // the baseline holds sealed rows only (its index is rebuilt in memory): ours adds the persisted index and the log
  disk: (disk: { ours: number; baseline: number }): Row[] => [row('data directory on disk after load (baseline: sealed rows, no index)', 'MB', disk.ours / MB, disk.baseline / MB)],
  host: (host: HostResult, baseRss: number | null): Row[] => [row('host RSS, unlocked + searched (memoryos serve)', 'MB', host.rss / MB, baseRss === null ? null : baseRss / MB, '≤ 300 MB', (v) => v <= 300)],
  export: (e: ExportResult, base: BaselineExport | null): Row[] => [
    row(`export of every memory (privacy.export, ${e.files.toLocaleString('en-US')} files, written and signed)`, 's', e.ms / 1000, base ? base.ms / 1000 : null, '≤ 15 s', (v) => v <= 15),
    row('  export peak RSS growth over the unlocked host', 'MB', (e.peak_rss - e.rss_before) / MB, base ? (base.peak_rss - base.rss_before) / MB : null, '≤ 150 MB', (v) => v <= 150),
  ],
};

/** The table's order of phases (the order they run in differs a little) */
const TABLE_ORDER = ['create', 'import', 'search', 'search after create', 'unlock', 'rss after load', 'disk', 'host', 'export', 'sync', 'import markdown', 'import enex', 'attachment sync'];

const HELP = `npm run bench -- [options]   the performance suite (spec §10); every figure beside a baseline measured in the same run
  --quick              10k memories (sync 2k; import 10k notes, a 100 MB ENEX) instead of 100k (sync 10k; import 100k notes, a 1 GB ENEX)
  --n=N                memories loaded before the core figures          --no-profile   no CPU profiles after the timed phases
  --no-sync            leave out the two-host sync figures               --sync-only    only those;  --sync-n=N  memories in host A
  --no-export          leave out the export and its baseline (the scale curve's 1M run: the host's RSS is still measured)
  --import             add issue 12's phases: a Markdown folder and a large ENEX through import.run on a real host (rate,
                       the host's peak RSS), and an attachment added on host A and synced to paired host B (add time, time
                       until whole on B, RSS growth of A and B, SHA-256), each beside raw read + encrypt + insert of the
                       same bytes into a plain SQLite table in a fresh process
  --import-only        only those phases
  --import-n=N         notes in the Markdown folder   --enex-mb=N  the ENEX's size   --attach-mb=N  the attachment's MiB
  --import-phases=L    which of markdown,enex,attachment run (default all)
Needs a current dist/ (npm run build). Figures: stdout, test-results/bench*.json and the per-phase .jsonl.`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP + '\n'); return; }
  const size = sizeFromArgs(argv);
  const importOnly = argv.includes('--import-only');
  const syncOnly = argv.includes('--sync-only');
  if (importOnly && syncOnly) throw new Error('--import-only and --sync-only: choose one');
  const withSync = !argv.includes('--no-sync') && !importOnly;
  const withImport = importOnly || argv.includes('--import');
  const coreToo = !syncOnly && !importOnly;
  const stale = staleSources();
  if (stale.length) throw new Error(`dist/ is older than ${stale.length} source file(s) (e.g. ${stale[0]}): run \`npx tsc -p tsconfig.json\` first — the bench measures the build`);

  const started = new Date();
  const t0 = performance.now();
  const m = machine();
  const code = codeVersion(ROOT);
  const importWhat = [
    size.import_phases.includes('markdown') ? `import ${size.import_n.toLocaleString('en-US')} Markdown notes` : '',
    size.import_phases.includes('enex') ? `import a ${size.enex_mb} MB ENEX` : '',
    size.import_phases.includes('attachment') ? `a ${size.attach_mib} MiB attachment synced` : '',
  ].filter(Boolean).join(', ');
  const what = importOnly ? importWhat : syncOnly ? `sync only, ${size.sync_n.toLocaleString('en-US')} memories` : `${size.n.toLocaleString('en-US')} memories of ~1 KB (+${size.warmup + size.creates + SEARCH_AFTER_CREATE} created one by one)${withSync ? `, sync ${size.sync_n.toLocaleString('en-US')}` : ''}${withImport ? `, ${importWhat}` : ''}`;
  process.stdout.write(`MemoryOS bench — ${what}, ${m.cpu}, ${m.cores} cores, Node ${m.node}, load average ${m.load_avg_at_start.join(' ')}, commit ${code.commit}${code.dirty_core_files ? ` + ${code.dirty_core_files} uncommitted core/contracts files` : ''}\n`);
  const partial = importOnly ? `bench-import-${size.import_n}` : syncOnly ? `bench-sync-${size.sync_n}` : null;
  const log = new PhaseLog(join(ROOT, 'test-results', `${partial ?? `bench-${size.n}`}-phases.jsonl`), {
    command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`, code, machine: m, size,
  });
  process.stdout.write(`each phase's figures are printed as it ends and appended to ${log.file}\n`);
  let core: { s: Samples | null; host: HostResult | null; baseRss: number | null; baseExport: BaselineExport | null } | null = null;
  if (coreToo) {
    process.stdout.write('MemoryOS (router, dist/ build) and baseline (raw better-sqlite3-multiple-ciphers + libsodium), step by step, alternating…\n');
    const tmp = mkdtempSync(join(tmpdir(), 'memoryos-bench-'));
    core = { s: null, host: null, baseRss: null, baseExport: null };
    try {
      const rowsOf: Record<string, (s: Samples) => Row[]> = {
        import: (s) => phaseRows.import(s, size), create: phaseRows.create, search: phaseRows.search, 'search after create': phaseRows.searchAfterCreate, 'rss after load': phaseRows.rss, unlock: phaseRows.unlock, profile: () => [],
      };
      const s = await log.run('drive', () => drive(size, tmp, async (phase, work, samples) => {
        await log.run(phase, async () => { await work(); log.record(phase, rowsOf[phase]!(samples)); });
      }));
      core.s = s;
      await log.run('disk', () => log.record('disk', phaseRows.disk({ ours: dirBytes(join(tmp, 'vault')), baseline: dirBytes(join(tmp, 'raw')) })));
      const key = s?.extras.baseline.key as string | undefined;
      const withExport = !argv.includes('--no-export');
      if (key) {
        process.stdout.write('a fresh baseline process holding the decrypted FTS5, for RSS…\n');
        core.baseRss = await log.run('baseline RSS', () => baselineSearchableRss(join(tmp, 'raw'), key, size.n));
        process.stdout.write('export baseline (the same rows decrypted into the same ZIP writer) in a fresh process…\n');
        if (withExport) core.baseExport = await log.run('export baseline', () => baselineExport(join(tmp, 'raw'), key, join(tmp, 'export-baseline.zip')));
      }
      if (s) {
        process.stdout.write(`host process (memoryos serve): RSS unlocked and searched${withExport ? ', then privacy.export polled to its end' : ''}…\n`);
        core.host = await log.run('host', () => measureHost(join(tmp, 'vault'), s.search.queries[0]!.query, withExport ? join(tmp, 'export.zip') : undefined, (h) => log.record('host', phaseRows.host(h, core!.baseRss), { host_rss: h.rss, unlock_ms: h.unlock_ms })));
        const host = core.host;
        if (host?.export) log.record('export', phaseRows.export(host.export, core.baseExport), { ours: host.export, baseline: core.baseExport });
        else if (host?.export_error) log.fail('export', host.export_error);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  let sync: SyncResult | null = null;
  if (withSync) {
    process.stdout.write(`sync: two \`memoryos serve\` hosts paired on loopback (${size.sync_n.toLocaleString('en-US')} memories, ${size.sync_edits} edits), and raw Yjs over TCP…\n`);
    sync = await log.run('sync', async () => { const r = await runSync(size); log.record('sync', r.rows); return r; });
  }

  let imports: ImportDetails | null = null;
  if (withImport) {
    process.stdout.write(`import: ${importWhat}, each on fresh \`memoryos serve\` hosts, beside raw read + encrypt + insert in a fresh process…\n`);
    imports = await runImportPhases(size, log);
  }

  const rows = log.rowsIn(TABLE_ORDER);
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write('\n' + table(rows) + '\n');
  if (!importOnly) process.stdout.write(`\nratio = cost relative to the baseline (time or memory ÷ baseline; for rates baseline ÷ ours). Targets are set for 100k memories (sync: 10k)${size.n < 100_000 || size.sync_n < 10_000 ? `: at ${syncOnly ? '' : `${size.n.toLocaleString('en-US')} / `}${size.sync_n.toLocaleString('en-US')} (sync) they are indicative only` : ''}.\n`);
  if (imports) {
    process.stdout.write(`${importOnly ? '\nratio = cost relative to the baseline (time or memory ÷ baseline; for rates baseline ÷ ours). ' : ''}The import targets are issue 12's: RSS < 400 MB for a 1 GB ENEX, ≤ 100 MB growth for a 100 MB attachment${size.enex_mb < 1024 ? ` (at ${size.enex_mb} MB the ENEX's is indicative only)` : ''}.\n`);
    for (const line of importNotes(imports)) process.stdout.write(line + '\n');
  }
  if (log.failures.length) process.stdout.write(`\nphases that failed (the table has the others): ${log.failures.map((f) => `${f.phase}: ${f.error}`).join('; ')}\n`);
  if (core?.s) {
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
    machine: { ...m, load_avg_at_end: loadavg().map((x) => Math.round(x * 100) / 100) }, size: { ...size, total_memories: size.n + size.warmup + size.creates + SEARCH_AFTER_CREATE },
    figures: rows,
    failures: log.failures,
    details: core?.s ? { ...coreDetails(core.s, core.host, core.baseRss), export_baseline: core.baseExport } : {},
    sync: sync?.details ?? null,
    import: imports,
  };
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  if (partial) {
    // a partial run never replaces the full suite's bench.json
    writeFileSync(join(ROOT, 'test-results', `${partial}.json`), JSON.stringify(json, null, 2));
    process.stdout.write(`written test-results/${partial}.json\n`);
    return;
  }
  writeFileSync(join(ROOT, 'test-results', 'bench.json'), JSON.stringify(json, null, 2));
  writeFileSync(join(ROOT, 'test-results', `bench-${size.n}.json`), JSON.stringify(json, null, 2));
  process.stdout.write('written test-results/bench.json\n');
}

function coreDetails(s: Samples, host: HostResult | null, baseRss: number | null) {
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
