import { labelsOf, type Candidate, type Labels } from '../store/search-index';

/**
 * What filters and sorts need of an indexed memory beyond its text: its labels as lists (the
 * index's FTS5 columns hold them as joined text) and its dates. Persisted beside the entry in the
 * encrypted database (search_docs, migration 016), written and erased in the same transaction as
 * the entry; each candidate carries them, and the labels are parsed only when something reads them.
 */
export interface Facet {
  created_at: number; updated_at: number; occurred_at: string | null;
  readonly tags: string[]; readonly people: string[]; readonly places: string[];
  /** the labels folded for comparison, as the author sees them (made at the first filter that needs them) */
  folded?: { tags: string[]; people: string[]; places: string[] };
}

export function facetOf(c: Candidate): Facet {
  let labels: Labels | undefined;
  const l = (): Labels => (labels ??= labelsOf(c));
  return {
    created_at: c.created_at, updated_at: c.updated_at, occurred_at: c.occurred_at,
    get tags() { return l().tags; }, get people() { return l().people; }, get places() { return l().places; },
  };
}
