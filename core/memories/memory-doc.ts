import * as Y from 'yjs';
import { setList, setText } from '../crdt/doc-update';

/** The editable content of a memory: its own Yjs document, encrypted under the memory's DEK. */
export interface Content {
  title: string; body: string; tags: string[]; people: string[]; places: string[];
  occurred_at: string | null; updated_at: number;
}
export type ContentPatch = Partial<Omit<Content, 'updated_at'>>;

export function readContent(doc: Y.Doc): Content {
  const f = doc.getMap('fields');
  return {
    title: doc.getText('title').toString(),
    body: doc.getText('body').toString(),
    tags: doc.getArray<string>('tags').toArray(),
    people: doc.getArray<string>('people').toArray(),
    places: doc.getArray<string>('places').toArray(),
    occurred_at: (f.get('occurred_at') as string | null | undefined) ?? null,
    updated_at: (f.get('updated_at') as number | undefined) ?? 0,
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

export function readMeta(doc: Y.Doc): Meta {
  return doc.getMap('meta').toJSON() as Meta;
}

export function writeMeta(doc: Y.Doc, patch: Partial<Meta>): void {
  const m = doc.getMap('meta');
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) m.set(k, v);
}

export const metaDocId = (memoryId: string): string => `${memoryId}.meta`;
/** A memory's files (core/attachments/files-doc.ts): which attachments it holds, under its own key, synced like its content. */
export const filesDocId = (memoryId: string): string => `${memoryId}.files`;
