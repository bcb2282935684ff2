import type { Ctx } from '../context/ctx';
import type { Content } from '../memories/memory-doc';
import type { IndexSource, MemoryRecord } from '../memories/read-model';
import type { IndexedMemory } from '../store/search-index';
import { setFacet, toFacet } from './facets';

/** Who may find a memory by its content: RED its author and recipients, BLACK its author, else every reader of the band. */
export function readersOf(rec: IndexSource): string[] | null {
  if (rec.band === 'RED') return [rec.author, ...rec.recipients];
  if (rec.band === 'BLACK') return [rec.author];
  return null;
}

export function toIndexed(rec: IndexSource, c: Content): IndexedMemory {
  return {
    memory_id: rec.memory_id, space_id: rec.space_id, band: rec.band, type: rec.type, updated_at: rec.updated_at, author: rec.author,
    readers: readersOf(rec), title: c.title, body: c.body, tags: c.tags, people: c.people, places: c.places,
  };
}

/** Index changes follow the commit: a rolled-back write never reaches the index. */
export function indexMemory(ctx: Ctx, rec: MemoryRecord, content: Content): void {
  const idx = ctx.search;
  if (!idx) return;
  const src = { ...rec, recipients: rec.meta.recipients ?? [] };
  const item = rec.deleted_at ? null : toIndexed(src, content);
  const facet = item ? toFacet(src, content) : null;
  ctx.uow.onCommit(() => {
    if (item) idx.upsert(item); else idx.remove(rec.memory_id);
    setFacet(idx, rec.memory_id, facet);
  });
}

export function unindexMemory(ctx: Ctx, memoryId: string): void {
  const idx = ctx.search;
  if (idx) ctx.uow.onCommit(() => { idx.remove(memoryId); setFacet(idx, memoryId, null); });
}
