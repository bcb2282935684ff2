/**
 * Child process: the MemoryOS side of every figure, through the real router (dist/ build), on
 * the deterministic corpus. Writes its result as JSON to args.out.
 */
import { core } from './core-dist';
import { extraMemoryAt, memoryAt, queries, type QueryKind } from './corpus';
import { BENCH_PASSPHRASE, childArgs, progress, writeResult } from './options';
import { rssBytes, summarize, timeMs, type Latency } from './stats';
import { profileCreates, profileImports, profileUnlock } from './ours-profile';
import { measurePieces } from './pieces';
import type { OursResult } from './results';

async function main(): Promise<void> {
  const args = childArgs();
  const { openApp } = core.app();
  const dataDir = args.dir;
  const call = (app: Awaited<ReturnType<typeof openApp>>, method: string, params: unknown) => app.router.call(method, params);

  let app = await openApp({ dataDir });
  const created = (await call(app, 'vault.create', { passphrase: BENCH_PASSPHRASE, name: 'Bench' })) as { personal_space_id: string };
  const space = created.personal_space_id;

  // 2. bulk import
  const batchMs: number[] = [];
  for (let start = 0; start < args.n; start += args.batch) {
    const items = Array.from({ length: Math.min(args.batch, args.n - start) }, (_, k) => memoryAt(start + k, args.n));
    const t = await timeMs(() => call(app, 'memory.import', { space_id: space, memories: items }));
    batchMs.push(t.ms);
    if (batchMs.length % 10 === 0) progress(`imported ${start + items.length}/${args.n} (${Math.round(items.length / (t.ms / 1000))}/s last batch)`);
  }
  const importMs = batchMs.reduce((a, b) => a + b, 0);

  // 1. memory.create, one at a time, on the populated vault
  const createMs: number[] = [];
  for (let j = 0; j < args.warmup + args.creates; j++) {
    const m = extraMemoryAt(j, args.n);
    const t = await timeMs(() => call(app, 'memory.create', { space_id: space, ...m }));
    if (j >= args.warmup) createMs.push(t.ms);
  }
  progress(`memory.create ×${args.creates} done`);

  // 3. memory.search
  const qs = queries(args.n, args.queries);
  for (const q of qs.slice(0, args.warmup)) await call(app, 'memory.search', { query: q.query, limit: 20 });
  const searchMs: number[] = [];
  const byKind: Record<string, number[]> = {};
  const hits: number[] = [];
  for (const q of qs) {
    const t = await timeMs(() => call(app, 'memory.search', { query: q.query, limit: 20 }) as Promise<{ hits: unknown[] }>);
    searchMs.push(t.ms);
    (byKind[q.kind] ??= []).push(t.ms);
    hits.push(t.value.hits.length);
  }
  progress(`memory.search ×${qs.length} done`);

  // 5. RSS with everything loaded (vault unlocked, index built, n + creates memories)
  const rssAfterLoad = rssBytes();

  // 4. unlock to searchable: a closed app, opened again, unlocked, answering a search
  await app.close();
  const t0 = performance.now();
  app = await openApp({ dataDir });
  const tOpen = performance.now();
  await call(app, 'vault.unlock', { passphrase: BENCH_PASSPHRASE });
  const tUnlock = performance.now();
  await call(app, 'memory.search', { query: qs[0]!.query, limit: 20 });
  const tSearch = performance.now();
  const indexSeconds = Number(/^memoryos_unlock_index_seconds_sum (\S+)$/m.exec(app.ctx.metrics.render())?.[1] ?? NaN);
  const argon2Ms = measureArgon2();
  const rssAfterUnlock = rssBytes();
  progress('unlock to searchable done');

  const profile = args.profile
    ? { import: await profileImports(app, space, args), create: await profileCreates(app, space, args), unlock: await profileUnlock(app, BENCH_PASSPHRASE) }
    : null;
  const pieces = args.profile ? await measurePieces(app, dataDir) : null;
  await app.close();

  const result: OursResult = {
    import: { memories: args.n, batch: args.batch, total_ms: importMs, per_s: args.n / (importMs / 1000), batch_ms: summarize(batchMs) },
    create: summarize(createMs),
    search: { all: summarize(searchMs), by_kind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k as QueryKind, summarize(v)])) as Record<QueryKind, Latency>, hits },
    unlock: {
      total_ms: tSearch - t0, open_ms: tOpen - t0, unlock_call_ms: tUnlock - tOpen, first_search_ms: tSearch - tUnlock,
      index_build_ms: indexSeconds * 1000, argon2id_ms: argon2Ms,
    },
    rss: { after_load: rssAfterLoad, after_unlock: rssAfterUnlock },
    profile, pieces,
  };
  writeResult(args.out, result);
}

/** Argon2id with the vault's own parameters (INTERACTIVE), median of three, to separate it from the rest of unlock. */
function measureArgon2(): number {
  const s = core.sodium();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const params = s.newKdfParams();
    const t0 = performance.now();
    s.passphraseKey(BENCH_PASSPHRASE, params);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[1]!;
}

main().catch((e) => { process.stderr.write(`ours failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
