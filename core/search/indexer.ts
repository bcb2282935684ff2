import type { Ctx } from '../context/ctx';
import type { Content } from '../memories/memory-doc';
import type { IndexSource, MemoryRecord } from '../memories/read-model';
import type { IndexedMemory } from '../store/search-index';
import type { Impact } from '../store/search-impact';

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
    created_at: rec.created_at ?? rec.updated_at, occurred_at: c.occurred_at ?? null,
  };
}

const indexedOf = (rec: MemoryRecord, content: Content): IndexedMemory => toIndexed({ ...rec, recipients: rec.meta.recipients ?? [] }, content);

/** The index is written in the caller's transaction, beside the read model: both commit or neither does. */
/** `impact`: the content's impact when the caller computed it already (a received memory prepared on another thread). */
export function indexMemory(ctx: Ctx, rec: MemoryRecord, content: Content, impact?: Impact): void {
  const idx = ctx.search;
  if (rec.deleted_at) idx.remove(rec.memory_id);
  else idx.upsert(indexedOf(rec, content), impact);
}

/** A memory just made (not in the index yet), with its impact when the caller computed it (fresh-updates.ts). */
export function indexNewMemory(ctx: Ctx, rec: MemoryRecord, content: Content, impact?: Impact): void {
  ctx.search.add(indexedOf(rec, content), impact);
}

export function unindexMemory(ctx: Ctx, memoryId: string): void {
  ctx.search.remove(memoryId);
}
