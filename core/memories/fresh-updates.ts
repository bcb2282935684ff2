import { change, newDoc } from '../crdt/doc-update';
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
 * (fresh-updates-worker.ts) and a single create builds them here.
 */
export function freshUpdates(clientId: number, m: FreshMemory): FreshUpdates {
  const metaDoc = newDoc(clientId);
  const meta = change(metaDoc, () => writeMeta(metaDoc, m.meta))!;
  const contentDoc = newDoc(clientId);
  const { updated_at: updatedAt, ...fields } = m.content;
  const content = change(contentDoc, () => writeContent(contentDoc, fields, updatedAt))!;
  return { meta, content, impact: impactOf(columnsOf(m.content)) };
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
