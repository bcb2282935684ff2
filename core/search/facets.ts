import type { Content } from '../memories/memory-doc';
import type { IndexSource } from '../memories/read-model';
import type { SearchIndex } from '../store/search-index';

/**
 * What filters and sorts need of an indexed memory beyond its text: its labels as lists (the
 * index holds them as joined text) and its dates. Kept beside the index, by memory id, for the
 * life of the index (built at unlock, dropped at lock, never written anywhere).
 */
export interface Facet {
  created_at: number; updated_at: number; occurred_at: string | null; tags: string[]; people: string[]; places: string[];
  /** the labels folded for comparison, as the author sees them (made at the first filter that needs them) */
  folded?: { tags: string[]; people: string[]; places: string[] };
}

interface Store {
  facets: Map<string, Facet>;
  /** bumps on every write, so caches built on the index (its vocabulary) know they are stale */
  generation: number;
  vocab?: { generation: number; terms: { term: string; doc: number }[] };
}

const stores = new WeakMap<SearchIndex, Store>();

export function storeOf(idx: SearchIndex): Store {
  let s = stores.get(idx);
  if (!s) stores.set(idx, (s = { facets: new Map(), generation: 0 }));
  return s;
}

export function toFacet(rec: IndexSource, c: Content): Facet {
  return { created_at: rec.created_at ?? rec.updated_at, updated_at: rec.updated_at, occurred_at: c.occurred_at ?? null, tags: c.tags, people: c.people, places: c.places };
}

export function setFacet(idx: SearchIndex, memoryId: string, f: Facet | null): void {
  const s = storeOf(idx);
  if (f) s.facets.set(memoryId, f); else s.facets.delete(memoryId);
  s.generation++;
}

/** The index's vocabulary, read again only after a write. */
export function vocabularyOf(idx: SearchIndex): { term: string; doc: number }[] {
  const s = storeOf(idx);
  if (!s.vocab || s.vocab.generation !== s.generation) s.vocab = { generation: s.generation, terms: idx.vocabulary() };
  return s.vocab.terms;
}
