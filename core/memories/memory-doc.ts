import * as Y from 'yjs';
import { setList, setText } from '../crdt/doc-update';
import { SPACE_ID } from '../shared/space-id';
import { isDekWrap, isId, isTimeMs, isTimeOrNull, isTimestamp, stringsOf } from './memory-shape';

/** The editable content of a memory: its own Yjs document, encrypted under the memory's DEK. */
export interface Content {
  title: string; body: string; tags: string[]; people: string[]; places: string[];
  occurred_at: string | null; updated_at: number;
}
export type ContentPatch = Partial<Omit<Content, 'updated_at'>>;

/** A content document as the contracts can show it: a value of the wrong type (another device may have written anything) is left out (memory-shape.ts). */
export function readContent(doc: Y.Doc): Content {
  const f = doc.getMap('fields');
  const occurred = f.get('occurred_at');
  const updated = f.get('updated_at');
  return {
    title: doc.getText('title').toString(),
    body: doc.getText('body').toString(),
    tags: stringsOf(doc.getArray('tags').toArray()),
    people: stringsOf(doc.getArray('people').toArray()),
    places: stringsOf(doc.getArray('places').toArray()),
    occurred_at: isTimestamp(occurred) ? occurred : null,
    updated_at: isTimeMs(updated) ? updated : 0,
  };
}

/** Applies a patch as minimal CRDT edits (text edits keep what others typed around them). */
export function writeContent(doc: Y.Doc, patch: ContentPatch, updatedAt: number): void {
  if (patch.title !== undefined) setText(doc.getText('title'), patch.title);
  if (patch.body !== undefined) setText(doc.getText('body'), patch.body);
  if (patch.tags !== undefined) setList(doc.getArray<string>('tags'), patch.tags);
  if (patch.people !== undefined) setList(doc.getArray<string>('people'), patch.people);
  if (patch.places !== undefined) setList(doc.getArray<string>('places'), patch.places);
  const f = doc.getMap('fields');
  if (patch.occurred_at !== undefined) f.set('occurred_at', patch.occurred_at);
  f.set('updated_at', updatedAt);
}

/** Metadata every member of the space can read (under the epoch key): band, type, key wrap, trash state. */
export interface Meta {
  band: 'GREEN' | 'AMBER' | 'RED' | 'BLACK';
  type: 'episodic' | 'semantic' | 'procedural' | 'working';
  author: string; origin_device: string; created_at: number;
  deleted_at: number | null; expires_at: number | null;
  recipients: string[];
  dek: unknown;
  /** a copy made by a share: the memory and space it was copied from, and when (set once, at creation) */
  copied_from?: { memory_id: string; space_id: string; copied_at: number };
}

const BANDS = new Set(['GREEN', 'AMBER', 'RED', 'BLACK']);
const TYPES = new Set(['episodic', 'semantic', 'procedural', 'working']);
/** Whether a metadata document's state is one this app writes (older releases' states included: no recipients, no expiry). */
export function isMeta(m: unknown): m is Meta {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return false;
  const o = m as Record<string, unknown>;
  if (!BANDS.has(o.band as string) || !TYPES.has(o.type as string)) return false;
  if (!isId(o.author) || !isId(o.origin_device) || !isTimeMs(o.created_at)) return false;
  if (!isTimeOrNull(o.deleted_at) || !isTimeOrNull(o.expires_at)) return false;
  if (!isDekWrap(o.dek)) return false; // every release wraps the key it writes: one no device opens would reach every member's read model
  if (o.recipients !== undefined && !(Array.isArray(o.recipients) && o.recipients.length <= 50 && o.recipients.every(isId))) return false;
  if (o.copied_from !== undefined) {
    const c = o.copied_from as Record<string, unknown> | null;
    if (!c || typeof c !== 'object' || !isId(c.memory_id) || !(typeof c.space_id === 'string' && SPACE_ID.test(c.space_id)) || !isTimeMs(c.copied_at)) return false;
  }
  return true;
}

/**
 * The metadata as plain data: its own fields only. Yjs (through lib0's decoder) builds values with
 * assignments, so a key `__proto__` another device wrote would set an object's prototype; the round
 * through JSON keeps what every reader (this thread, the receive thread, a copy between them)
 * sees the same.
 */
export function readMeta(doc: Y.Doc): Meta {
  return JSON.parse(JSON.stringify(doc.getMap('meta').toJSON())) as Meta;
}

export function writeMeta(doc: Y.Doc, patch: Partial<Meta>): void {
  const m = doc.getMap('meta');
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) m.set(k, v);
}

export const metaDocId = (memoryId: string): string => `${memoryId}.meta`;
/** A memory's files (core/attachments/files-doc.ts): which attachments it holds, under its own key, synced like its content. */
export const filesDocId = (memoryId: string): string => `${memoryId}.files`;
