import type { Band, MemorySearchRequest, SearchHit } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { policyDocument } from '../policy/policy-document';
import { previewRule, previewText } from '../policy/redaction';
import { iso } from '../shared/time';
import type { IndexedMemory } from '../store/search-index';
import { liveContents } from '../memories/read-model';
import { membershipsOf } from '../spaces/spaces';
import { toIndexed } from './indexer';
import { makeSnippet, matchesAll, queryTerms } from './snippet';

/**
 * Opens the persisted index at unlock. It is already whole (every write joins the read model's
 * transaction); only a database whose index was written in another format — a data directory of
 * an earlier release — is filled from the read model, once. Returns how many memories that fill
 * indexed (0 when there was nothing to do).
 */
export function openSearchIndex(ctx: Ctx): number {
  const idx = ctx.search;
  let n = 0;
  if (!idx.current()) {
    function* items(): Generator<IndexedMemory> {
      for (const { rec, content } of liveContents(ctx)) yield toIndexed(rec, content);
    }
    // IMMEDIATE: two processes unlocking an old data directory at once fill it once
    n = ctx.uow.run(() => (idx.current() ? 0 : idx.refill(items(), ctx.clock.now())));
  }
  return n;
}

/** bm25-ranked search over what the actor may read, with band-aware snippets. */
export function searchMemories(ctx: Ctx, actor: string, q: MemorySearchRequest): { hits: SearchHit[]; skipped: number } {
  keys(ctx);
  const idx = ctx.search;
  const p = policyDocument();
  const scopes = membershipsOf(ctx, actor)
    .filter((s) => p.roles[s.role].caps.includes('RECALL'))
    .map((s) => ({ space_id: s.space_id, bands: p.roles[s.role].bands as string[] }));
  const limit = q.limit ?? 20;
  // a redacted reader's hits must match what they are shown: ask for more, keep those that still match
  const raw = idx.search({ query: q.query, scopes, member_id: actor, space_id: q.space_id, type: q.type, band: q.band, limit: limit * 2 });
  const terms = queryTerms(q.query);
  const hits: SearchHit[] = [];
  for (const h of raw) {
    if (hits.length >= limit) break;
    const band = h.band as Band;
    const rule = previewRule(band, h.author === actor); // RED content stays hidden until opened
    // the rule applies to the stored text first, the highlighting after: brackets never split what redaction must see
    const t = h.text;
    const fields = [t.body, t.title, t.tags, t.people, t.places].map((x) => previewText(rule, x));
    if (rule === 'redact_pii' && !matchesAll(fields, terms)) continue; // it matched only what the reader may not see
    hits.push({
      memory_id: h.memory_id, space_id: h.space_id, type: h.type as SearchHit['type'], band,
      title: fields[1]!, snippet: rule === 'hidden' ? '' : makeSnippet(fields, terms),
      score: h.score, redacted: rule !== 'full', updated_at: iso(h.updated_at),
    });
  }
  const inScope = new Set(scopes.map((s) => s.space_id));
  return { hits, skipped: ctx.problems.inSpaces(inScope) };
}
