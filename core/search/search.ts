import type { Band, MemorySearchRequest, SearchHit } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { policyDocument } from '../policy/policy-document';
import { iso } from '../shared/time';
import { ApiError } from '../shared/errors';
import type { Role } from '../../contracts/types';
import { redactPii } from './redact';
import { SearchIndex, type IndexedMemory } from './search-index';
import { liveContents } from '../memories/read-model';
import { toIndexed } from './indexer';
import { sql } from '../store/statements';

/** Builds the in-memory index from the encrypted read model (at unlock). */
export function buildSearchIndex(ctx: Ctx): number {
  const idx = new SearchIndex();
  function* items(): Generator<IndexedMemory> {
    for (const { rec, content } of liveContents(ctx)) yield toIndexed(rec, content);
  }
  const n = idx.loadAll(items());
  ctx.search?.close();
  ctx.search = idx;
  return n;
}

/** bm25-ranked search over what the actor may read, with band-aware snippets. */
export function searchMemories(ctx: Ctx, actor: string, q: MemorySearchRequest): { hits: SearchHit[] } {
  keys(ctx);
  const idx = ctx.search;
  if (!idx) throw new ApiError('LOCKED', 'the search index is not built: unlock the vault');
  const p = policyDocument();
  const scopes = (sql(ctx.db, 'SELECT space_id, role FROM space_members WHERE member_id = ?').all(actor) as { space_id: string; role: Role }[])
    .filter((s) => p.roles[s.role].caps.includes('RECALL'))
    .map((s) => ({ space_id: s.space_id, bands: p.roles[s.role].bands as string[] }));
  const raw = idx.search({ query: q.query, scopes, member_id: actor, space_id: q.space_id, type: q.type, band: q.band, limit: q.limit ?? 20 });
  return {
    hits: raw.map((h) => {
      const mine = h.author === actor;
      const hidden = h.band === 'RED' && !mine; // RED content stays hidden until opened
      const redact = h.band === 'AMBER' && !mine;
      return {
        memory_id: h.memory_id, space_id: h.space_id, type: h.type as SearchHit['type'], band: h.band as Band,
        title: hidden ? '' : redact ? redactPii(h.title) : h.title,
        snippet: hidden ? '' : redact ? redactPii(h.snippet) : h.snippet,
        score: h.score, redacted: hidden || redact, updated_at: iso(h.updated_at),
      };
    }),
  };
}
