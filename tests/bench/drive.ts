import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { queries, type BenchQuery } from './corpus';
import { progress, type BenchSize } from './options';
import { startSide, type SideClient } from './sides';

/** Raw samples of both sides, index-aligned (sample i of ours ran right next to sample i of the baseline). */
export interface Samples {
  import_ms: Pair<number[]>;
  create_ms: Pair<number[]>;
  /** top: each query's hits as corpus positions, in order (top-overlap.ts) */
  search: { queries: BenchQuery[]; ms: Pair<number[]>; hits: Pair<number[]>; top: Pair<number[][]> };
  /** a one-common-word search timed right after a create, as a person saves a memory and then looks something up */
  search_after_create_ms: Pair<number[]>;
  rss_after_load: Pair<number>;
  unlock: Pair<{ total_ms: number; parts: Record<string, number> }[]>;
  extras: Pair<Record<string, unknown>>;
}
export interface Pair<T> { ours: T; baseline: T }

export type DrivePhase = 'import' | 'create' | 'search' | 'search after create' | 'rss after load' | 'unlock' | 'profile';

/** create → search pairs of the 'search after create' phase */
export const SEARCH_AFTER_CREATE = 100;
/** Runs one phase of the drive: the caller reports its figures as soon as it ends, or its failure (and the drive goes on). */
export type PhaseRunner = (phase: DrivePhase, work: () => Promise<void>, s: Samples) => Promise<void>;

/**
 * Runs every measured step on both sides, one side at a time and alternating which goes first,
 * so both see the same machine: the bench shares its two cores with other people's work.
 */
export async function drive(size: BenchSize, tmp: string, phase: PhaseRunner = (_p, work) => work()): Promise<Samples> {
  mkdirSync(join(tmp, 'vault'));
  mkdirSync(join(tmp, 'raw'));
  const ours = startSide({ ...size, kind: 'ours', dir: join(tmp, 'vault') });
  const base = startSide({ ...size, kind: 'baseline', dir: join(tmp, 'raw') });
  try {
    await ours.call('setup');
    await base.call('setup');
    // step i: ours first on even i, the baseline first on odd i
    const both = async <T>(i: number, f: (s: SideClient) => Promise<T>): Promise<Pair<T>> => {
      if (i % 2 === 0) { const o = await f(ours); return { ours: o, baseline: await f(base) }; }
      const b = await f(base);
      return { ours: await f(ours), baseline: b };
    };
    const s: Samples = {
      import_ms: { ours: [], baseline: [] }, create_ms: { ours: [], baseline: [] },
      search: { queries: queries(size.n, size.queries), ms: { ours: [], baseline: [] }, hits: { ours: [], baseline: [] }, top: { ours: [], baseline: [] } },
      search_after_create_ms: { ours: [], baseline: [] },
      rss_after_load: { ours: 0, baseline: 0 }, unlock: { ours: [], baseline: [] }, extras: { ours: {}, baseline: {} },
    };

    await phase('import', async () => {
      for (let start = 0, i = 0; start < size.n; start += size.batch, i++) {
        const count = Math.min(size.batch, size.n - start);
        const r = await both(i, (side) => side.call('importBatch', start, count));
        s.import_ms.ours.push(r.ours);
        s.import_ms.baseline.push(r.baseline);
        if ((i + 1) % 10 === 0) progress(`imported ${start + count}/${size.n} (ours ${Math.round(count / (r.ours / 1000))}/s, baseline ${Math.round(count / (r.baseline / 1000))}/s in the last batch)`);
      }
    }, s);

    await phase('create', async () => {
      for (let j = 0; j < size.warmup + size.creates; j++) {
        const r = await both(j, (side) => side.call('create', j));
        if (j < size.warmup) continue;
        s.create_ms.ours.push(r.ours);
        s.create_ms.baseline.push(r.baseline);
      }
      progress(`memory.create ×${size.creates} done`);
    }, s);

    const qs = s.search.queries;
    await phase('search', async () => {
      for (const [i, q] of qs.slice(0, size.warmup).entries()) await both(i, (side) => side.call('search', q.query));
      for (const [i, q] of qs.entries()) {
        const r = await both(i, (side) => side.call('search', q.query));
        s.search.ms.ours.push(r.ours.ms);
        s.search.ms.baseline.push(r.baseline.ms);
        s.search.hits.ours.push(r.ours.hits);
        s.search.hits.baseline.push(r.baseline.hits);
        s.search.top.ours.push(r.ours.top);
        s.search.top.baseline.push(r.baseline.top);
      }
      progress(`memory.search ×${qs.length} done`);
    }, s);

    // every write used to make the next search re-read the index's vocabulary (typo tolerance):
    // the search phase above, all after the creates, could not see that
    await phase('search after create', async () => {
      const common = qs.filter((q) => q.kind === 'common');
      for (let i = 0; i < SEARCH_AFTER_CREATE; i++) {
        await both(i, (side) => side.call('create', size.warmup + size.creates + i));
        const r = await both(i, (side) => side.call('search', common[i % common.length]!.query));
        s.search_after_create_ms.ours.push(r.ours.ms);
        s.search_after_create_ms.baseline.push(r.baseline.ms);
      }
      progress(`create → search ×${SEARCH_AFTER_CREATE} done`);
    }, s);

    await phase('rss after load', async () => { s.rss_after_load = await both(0, (side) => side.call('rss')); }, s);

    await phase('unlock', async () => {
      for (let i = 0; i < size.unlocks; i++) {
        const r = await both(i, (side) => side.call('reopen', qs[0]!.query));
        s.unlock.ours.push(r.ours);
        s.unlock.baseline.push(r.baseline);
      }
      progress('unlock to searchable done');
    }, s);

    // the baseline's extras carry its key, which the export baseline needs: asked for even without profiles
    await phase('profile', async () => {
      s.extras.baseline = await base.call('extras');
      s.extras.ours = await ours.call('extras');
    }, s);
    // a side that died in a phase above cannot close: what it measured before is still reported
    for (const side of [ours, base]) await side.call('close').catch((e: Error) => progress(`closing a side failed: ${e.message}`));
    return s;
  } finally {
    await ours.stop();
    await base.stop();
  }
}
