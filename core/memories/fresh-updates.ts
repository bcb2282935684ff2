import { change, newDoc } from '../crdt/doc-update';
import { columnsOf, impactOf, type Impact } from '../store/search-impact';
import { writeContent, writeMeta, type Content, type Meta } from './memory-doc';

/** What a new memory's two documents are built from: its metadata and its content as written. */
export interface FreshMemory { meta: Meta; content: Content }

/**
 * The two updates that build a new memory's documents (each is also that document's whole
 * state), and what its text writes into the search index's impact table.
 */
export interface FreshUpdates { meta: Uint8Array; content: Uint8Array; impact: Impact }

/**
 * A new memory's metadata and content documents, built by this device's Yjs client and encoded
 * as one update each, and its search impact. Pure (no database, no keys): the same input and
 * client id give the same bytes, so a bulk import may build them on another thread
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
