import * as Y from 'yjs';
import { setList, setText } from '../crdt/doc-update';
import { readFresh } from '../crdt/fresh-read';
import { SPACE_ID } from '../shared/space-id';
import { isDekWrap, isId, isTimeMs, isTimeOrNull, isTimestamp, stringsOf } from './memory-shape';

/** The editable content of a memory: its own Yjs document, encrypted under the memory's DEK. */
export interface Content {
  title: string; body: string; tags: string[]; people: string[]; places: string[];
  occurred_at: string | null; updated_at: number;
}
export type ContentPatch = Partial<Omit<Content, 'updated_at'>>;

/** What a content document holds, root type by root type, before memory-shape.ts has looked at it. */
interface RawContent { title: string; body: string; tags: unknown[]; people: unknown[]; places: unknown[]; occurred_at: unknown; updated_at: unknown }

/** A content document as the contracts can show it: a value of the wrong type (another device may have written anything) is left out (memory-shape.ts). */
export function readContent(doc: Y.Doc): Content {
  const f = doc.getMap('fields');
  return contentOf({
    title: doc.getText('title').toString(), body: doc.getText('body').toString(),
    tags: doc.getArray('tags').toArray(), people: doc.getArray('people').toArray(), places: doc.getArray('places').toArray(),
    occurred_at: f.get('occurred_at'), updated_at: f.get('updated_at'),
  });
}

const contentOf = (c: RawContent): Content => ({
  title: c.title, body: c.body, tags: stringsOf(c.tags), people: stringsOf(c.people), places: stringsOf(c.places),
  occurred_at: isTimestamp(c.occurred_at) ? c.occurred_at : null,
  updated_at: isTimeMs(c.updated_at) ? c.updated_at : 0,
});

const TEXTS = new Set(['title', 'body']);
const LISTS = new Set(['tags', 'people', 'places']);

/**
 * readContent of the document a content update builds, read without building it when the update
 * is a fresh one (crdt/fresh-read.ts) naming only the content's own root types; null: read it
 * with Yjs (an update with anything else in it, which Yjs may read differently).
 */
export function readFreshContent(update: Uint8Array): Content | null {
  const read = readFresh(update);
  if (!read) return null;
  const raw: RawContent = { title: '', body: '', tags: [], people: [], places: [], occurred_at: undefined, updated_at: undefined };
  for (const p of read.parts) {
    if (p.kind === 'text' && TEXTS.has(p.name)) raw[p.name as 'title' | 'body'] = p.text;
    else if (p.kind === 'list' && LISTS.has(p.name)) raw[p.name as 'tags' | 'people' | 'places'] = p.items;
    else if (p.kind === 'map' && p.name === 'fields') {
      for (const [k, v] of p.entries) {
        if (k === 'occurred_at') raw.occurred_at = v;
        else if (k === 'updated_at') raw.updated_at = v;
      }
    } else return null;
  }
  return contentOf(raw);
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
  return plainMeta(doc.getMap('meta').toJSON());
}

const plainMeta = (json: Record<string, unknown>): Meta => JSON.parse(JSON.stringify(json)) as Meta;

/**
 * readMeta of the document a metadata update builds, read without building it when the update is
 * a fresh one of the `meta` map alone (crdt/fresh-read.ts); null: read it with Yjs.
 */
export function readFreshMeta(update: Uint8Array): Meta | null {
  const read = readFresh(update);
  const map = read?.parts.length === 1 ? read.parts[0]! : null;
  if (!map || map.kind !== 'map' || map.name !== 'meta') return null;
  // built as Y.Map's toJSON builds it (assignments, a key in the order it was set), then plain as readMeta makes it
  const json: Record<string, unknown> = {};
  for (const [k, v] of map.entries) json[k] = v;
  return plainMeta(json);
}

export function writeMeta(doc: Y.Doc, patch: Partial<Meta>): void {
  const m = doc.getMap('meta');
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) m.set(k, v);
}

export const metaDocId = (memoryId: string): string => `${memoryId}.meta`;
/** A memory's files (core/attachments/files-doc.ts): which attachments it holds, under its own key, synced like its content. */
export const filesDocId = (memoryId: string): string => `${memoryId}.files`;
