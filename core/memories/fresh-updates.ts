import { change, newDoc } from '../crdt/doc-update';
import { freshUpdate, type FreshPart } from '../crdt/fresh-update';
import { sealEntry, type SealedEntry } from '../store/entry-seal';
import { columnsOf, impactOf, type Impact } from '../store/search-impact';
import { metaDocId, writeContent, writeMeta, type Content, type Meta } from './memory-doc';
import { dekKeyId, sealRecord, type MetaKey, type SealedRecord } from './record-seal';

/** What a new memory's two documents are built from: its metadata and its content as written. */
export interface FreshMemory { meta: Meta; content: Content }

/**
 * The two updates that build a new memory's documents (each is also that document's whole
 * state), and what its text writes into the search index's impact table.
 */
export interface FreshUpdates { meta: Uint8Array; content: Uint8Array; impact: Impact }

/**
 * A new memory's metadata and content documents, built by this device's Yjs client and encoded
 * as one update each, and its search impact. Pure (no database): the same input and client id
 * give the same bytes, so a bulk import may build them on another thread
 * (fresh-updates-worker.ts) and a single create builds them here. The updates are written straight
 * into Yjs's encoder (crdt/fresh-update.ts) as writeMeta and writeContent would make them, the same
 * bytes; Yjs itself builds any the writer does not cover.
 */
export function freshUpdates(clientId: number, m: FreshMemory): FreshUpdates {
  return {
    meta: freshUpdate(clientId, metaParts(m.meta)) ?? metaByYjs(clientId, m.meta),
    content: freshUpdate(clientId, contentParts(m.content)) ?? contentByYjs(clientId, m.content),
    impact: impactOf(columnsOf(m.content)),
  };
}

/** What writeMeta puts into a fresh metadata document: its keys set in the order given. */
export const metaParts = (meta: Meta): FreshPart[] => [{ kind: 'map', name: 'meta', entries: Object.entries(meta).filter(([, v]) => v !== undefined) }];

/** What writeContent puts into a fresh content document, in its order: the texts, the lists, then the fields. */
export function contentParts(content: Content): FreshPart[] {
  // what writeContent is given: the content's own fields, as contentByYjs spreads them
  const { updated_at: updatedAt, ...c } = content;
  const fields: [string, unknown][] = c.occurred_at === undefined ? [] : [['occurred_at', c.occurred_at]];
  fields.push(['updated_at', updatedAt]);
  return [
    { kind: 'text', name: 'title', text: c.title }, { kind: 'text', name: 'body', text: c.body },
    { kind: 'list', name: 'tags', items: c.tags }, { kind: 'list', name: 'people', items: c.people }, { kind: 'list', name: 'places', items: c.places },
    { kind: 'map', name: 'fields', entries: fields },
  ];
}

/** The metadata document's first update as Yjs builds it: the reference freshUpdates matches. */
export function metaByYjs(clientId: number, meta: Meta): Uint8Array {
  const doc = newDoc(clientId);
  return change(doc, () => writeMeta(doc, meta))!;
}

/** The content document's first update as Yjs builds it: the reference freshUpdates matches. */
export function contentByYjs(clientId: number, content: Content): Uint8Array {
  const doc = newDoc(clientId);
  const { updated_at: updatedAt, ...fields } = content;
  return change(doc, () => writeContent(doc, fields, updatedAt))!;
}

/** A new memory decided but not written: its id, space, key, metadata (the key wrapped in it) and content. */
export interface NewMemory extends FreshMemory { memoryId: string; space: string; dek: Uint8Array }

/** A new memory ready to store: its updates, its two log entries sealed, its read model sealed. */
export interface BuiltMemory { updates: FreshUpdates; entries: { meta: SealedEntry; content: SealedEntry }; record: SealedRecord }

/**
 * Everything of a new memory that needs keys but no database: the metadata document's update
 * sealed under the metadata key, the content's under the memory's key (log entries, unsigned:
 * their seq is the log's to give), and the read model sealed as saveRecord seals it.
 */
export function buildNewMemory(clientId: number, m: NewMemory, mk: MetaKey): BuiltMemory {
  const updates = freshUpdates(clientId, m);
  const ids = { space_id: m.space, memory_id: m.memoryId };
  return {
    updates,
    entries: {
      meta: sealEntry(m.space, metaDocId(m.memoryId), mk.keyId, mk.key, updates.meta),
      content: sealEntry(m.space, m.memoryId, dekKeyId(m.memoryId), m.dek, updates.content),
    },
    record: sealRecord(ids, { meta: m.meta, metaState: updates.meta, content: m.content, contentState: updates.content }, m.dek, mk),
  };
}
