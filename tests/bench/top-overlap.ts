import type { BenchQuery } from './corpus';

/**
 * Issue 11 item 6: does ours return the same top-20 as exact bm25? The reference is the
 * baseline's plain FTS5 over the same corpus (same columns, tokenizer, MATCH and bm25 weights),
 * every match ranked, ties broken by corpus order as ours breaks them (by index row, written in
 * corpus order). Both sides give the corpus positions of their first 20 hits.
 *
 * A query AGREES when every id of the reference's top-20 is among ours' first 20: with 20
 * reference hits that is the same set of 20; with fewer (the words match fewer memories) ours
 * may add typo-tolerant matches after them, which the exact baseline cannot return, and that does
 * not count against it. Order is reported apart ("same order": ours' first |R| ids are R in
 * order). The target is: at least 95 % of the queries agree.
 */
export interface TopOverlap {
  queries: number;
  /** share of queries that agree (0..1) */
  agree: number;
  /** share whose first |R| hits are the reference's, in its order */
  same_order: number;
  /** mean over queries of |ours ∩ R| / |R| (1 for an empty R) */
  mean_overlap: number;
  /** per query kind: share that agree */
  by_kind: Record<string, number>;
  /** up to five queries that do not agree, for a look */
  misses: { query: string; overlap: number }[];
}

export function topOverlap(qs: BenchQuery[], ours: number[][], ref: number[][]): TopOverlap {
  let agree = 0;
  let sameOrder = 0;
  let sum = 0;
  const kinds: Record<string, { n: number; agree: number }> = {};
  const misses: TopOverlap['misses'] = [];
  qs.forEach((q, i) => {
    const r = ref[i] ?? [];
    const o = ours[i] ?? [];
    const mine = new Set(o.slice(0, 20));
    const common = r.filter((id) => mine.has(id)).length;
    const share = r.length ? common / r.length : 1;
    const ok = common === r.length;
    sum += share;
    if (ok) agree++; else if (misses.length < 5) misses.push({ query: q.query, overlap: share });
    if (r.every((id, k) => o[k] === id)) sameOrder++;
    const k = (kinds[q.kind] ??= { n: 0, agree: 0 });
    k.n++;
    if (ok) k.agree++;
  });
  const n = qs.length || 1;
  return {
    queries: qs.length, agree: agree / n, same_order: sameOrder / n, mean_overlap: sum / n,
    by_kind: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, v.agree / v.n])),
    misses,
  };
}

const pc = (x: number) => `${(x * 100).toFixed(1)} %`;

/** One line for the bench's output. */
export function overlapLine(t: TopOverlap): string {
  const kinds = Object.entries(t.by_kind).map(([k, v]) => `${k} ${pc(v)}`).join(', ');
  const miss = t.misses.length ? `; e.g. not agreeing: ${t.misses.map((m) => `"${m.query}" ${pc(m.overlap)}`).join(', ')}` : '';
  return `search top-20 vs exact bm25 (plain FTS5, every match ranked): ${pc(t.agree)} of ${t.queries} queries agree (target ≥ 95 %; ${kinds}), ${pc(t.same_order)} in the same order, mean overlap ${pc(t.mean_overlap)}${miss}.`;
}
