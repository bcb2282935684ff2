import type { Memory, MemoryPatch } from '../../../contracts/types';

export type Draft = Pick<Memory, 'title' | 'body' | 'type' | 'tags' | 'people' | 'places' | 'occurred_at' | 'expires_at' | 'recipients'>;

export function draftOf(m: Memory): Draft {
  return { title: m.title, body: m.body, type: m.type, tags: m.tags, people: m.people, places: m.places, occurred_at: m.occurred_at, expires_at: m.expires_at, recipients: m.recipients };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the fields that differ, so concurrent edits of other fields merge on the core's side. */
export function diffPatch(base: Draft, next: Draft): MemoryPatch {
  const patch: MemoryPatch = {};
  for (const k of Object.keys(next) as (keyof Draft)[]) {
    if (!same(base[k], next[k])) (patch as Record<string, unknown>)[k] = next[k];
  }
  return patch;
}

/**
 * Three-way merge per field after a save: a field the person changed locally since `base` keeps
 * their value; any other field takes the saved (possibly merged) value from the core.
 */
export function mergeDraft(base: Draft, local: Draft, saved: Draft): Draft {
  const out = { ...saved };
  for (const k of Object.keys(local) as (keyof Draft)[]) {
    if (!same(base[k], local[k])) (out as Record<string, unknown>)[k] = local[k];
  }
  return out;
}
