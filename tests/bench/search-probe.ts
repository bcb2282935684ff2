/**
 * Search iteration at 100k without the whole bench (issue 11 item 6): `make` imports the bench
 * corpus into a kept data directory once (~4 min at 100k), `time` opens it and runs the bench's
 * 400 queries through memory.search beside a plain FTS5 of the same corpus (the baseline's
 * reference, kept as ref.db beside the vault), alternating which goes first, and prints p50/p95
 * per query kind in wall-clock AND CPU time (process.cpuUsage: on a shared machine the wall
 * clock mostly measures the neighbours), the top-20 overlap with exact bm25, and the slowest.
 * It measures the dist/ build like the bench: `npx tsc -p tsconfig.json` first.
 *
 *   npx tsx tests/bench/search-probe.ts make /tmp/search-vault 100000
 *   npx tsx tests/bench/search-probe.ts time /tmp/search-vault [slowest=10]
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { core } from './core-dist';
import { extraMemoryAt, memoryAt, queries, type BenchQuery } from './corpus';
import { BENCH_PASSPHRASE, FULL } from './options';
import { percentile } from './stats';
import { overlapLine, topOverlap } from './top-overlap';

const WEIGHTS = '5.0, 1.0, 3.0, 3.0, 2.0';

async function make(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const app = await core.app().openApp({ dataDir: join(dir, 'vault'), scheduler: { intervalMs: 1000 } });
  const space = ((await app.call('vault.create', { passphrase: BENCH_PASSPHRASE, name: 'Bench' })) as { personal_space_id: string }).personal_space_id;
  const ids: [string, number][] = [];
  for (let start = 0; start < n; start += FULL.batch) {
    const memories = Array.from({ length: Math.min(FULL.batch, n - start) }, (_, k) => memoryAt(start + k, n));
    const r = (await app.call('memory.import', { space_id: space, memories })) as { memory_ids: string[] };
    r.memory_ids.forEach((id, k) => ids.push([id, start + k]));
  }
  // as the bench: its warm-up and timed creates after the import
  const extras = FULL.warmup + FULL.creates;
  for (let j = 0; j < extras; j++) {
    const r = (await app.call('memory.create', { space_id: space, ...extraMemoryAt(j, n) })) as { memory: { memory_id: string } };
    ids.push([r.memory.memory_id, n + j]);
  }
  writeFileSync(join(dir, 'ids.json'), JSON.stringify({ n, extras, ids }));
  await app.close();
}

/** The baseline's reference: plain FTS5 of the corpus in memory, rowid = corpus position + 1 (built once into ref.db, copied in). */
function reference(dir: string, n: number, extras: number): Database.Database {
  const file = join(dir, 'ref.db');
  const schema = "CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2')";
  if (!existsSync(file)) {
    const db = new Database(file);
    db.exec(schema);
    const ins = db.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < n + extras; i++) {
        const m = i < n ? memoryAt(i, n) : extraMemoryAt(i - n, n);
        ins.run(i + 1, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
      }
    })();
    db.close();
  }
  const mem = new Database(':memory:');
  mem.exec(schema);
  mem.prepare('ATTACH ? AS f').run(file);
  mem.exec('INSERT INTO fts (rowid, title, body, tags, people, places) SELECT rowid, title, body, tags, people, places FROM f.fts');
  mem.exec('DETACH f');
  return mem;
}

async function time(dir: string, slowest: number): Promise<void> {
  const { n, extras, ids } = JSON.parse(readFileSync(join(dir, 'ids.json'), 'utf8')) as { n: number; extras: number; ids: [string, number][] };
  const pos = new Map(ids);
  const ref = reference(dir, n, extras);
  const { toFtsQuery } = core.searchIndex();
  const stmt = ref.prepare(`SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, ${WEIGHTS}), rowid LIMIT 20`);
  const app = await core.app().openApp({ dataDir: join(dir, 'vault') });
  await app.call('vault.unlock', { passphrase: BENCH_PASSPHRASE });
  const qs: BenchQuery[] = queries(n, FULL.queries);
  const sides = {
    ours: async (q: string) => ((await app.call('memory.search', { query: q, limit: 20 })) as { hits: { memory_id: string }[] }).hits.map((h) => pos.get(h.memory_id) ?? -1),
    base: async (q: string) => (stmt.all(toFtsQuery(q)) as { rowid: number }[]).map((r) => r.rowid - 1),
  };
  for (const q of qs.slice(0, FULL.warmup)) { await sides.ours(q.query); await sides.base(q.query); }
  type Side = keyof typeof sides;
  const wall: Record<Side, number[]> = { ours: [], base: [] };
  const cpu: Record<Side, number[]> = { ours: [], base: [] };
  const top: Record<Side, number[][]> = { ours: [], base: [] };
  const run = async (side: Side, q: string) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    top[side].push(await sides[side](q));
    wall[side].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[side].push((c.user + c.system) / 1000);
  };
  for (const [i, q] of qs.entries()) {
    if (i % 2) { await run('base', q.query); await run('ours', q.query); } else { await run('ours', q.query); await run('base', q.query); }
  }
  const kinds: [string, (q: BenchQuery) => boolean][] = [['mixed', () => true], ...['common', 'rare', 'two-common', 'person+common'].map((k): [string, (q: BenchQuery) => boolean] => [k, (q) => q.kind === k])];
  const f = (x: number) => x.toFixed(2).padStart(7);
  for (const [label, m] of [['wall clock', wall], ['CPU time', cpu]] as const) {
    console.log(`${label} (ms)        ours p50     p95 | plain FTS5 p50     p95 | p95 ratio`);
    for (const [k, keep] of kinds) {
      const o = m.ours.filter((_, i) => keep(qs[i]!));
      const b = m.base.filter((_, i) => keep(qs[i]!));
      console.log(`  ${k.padEnd(14)} ${f(percentile(o, 50))} ${f(percentile(o, 95))} |       ${f(percentile(b, 50))} ${f(percentile(b, 95))} | ${(percentile(o, 95) / percentile(b, 95)).toFixed(2)}`);
    }
  }
  console.log(overlapLine(topOverlap(qs, top.ours, top.base)));
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; slowest of ours (CPU ms):`);
  for (const s of qs.map((q, i) => ({ q, ms: cpu.ours[i]! })).sort((a, b) => b.ms - a.ms).slice(0, slowest)) console.log(`  ${f(s.ms)}  ${s.q.kind}  "${s.q.query}"`);
  await app.close();
  ref.close();
}

const [cmd, dir = '/tmp/search-vault', arg] = process.argv.slice(2);
(cmd === 'make' ? make(dir, Number(arg ?? FULL.n)) : cmd === 'time' ? time(dir, Number(arg ?? 10)) : Promise.reject(new Error('usage: search-probe.ts make|time DIR [N|slowest]')))
  .catch((e: Error) => { process.stderr.write(`${e.stack ?? e.message}\n`); process.exit(1); });
