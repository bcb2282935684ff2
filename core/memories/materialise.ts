import * as Y from 'yjs';
import type { Ctx } from '../context/ctx';
import { newDoc } from '../crdt/doc-update';
import { indexMemory, unindexMemory } from '../search/indexer';
import { decryptEpochEntry } from '../spaces/epoch-keys';
import { decryptEntry, docEntries } from '../store/sync-log';
import { metaDocId, readMeta, type Meta } from './memory-doc';
import { unwrapDek, type DekWrap } from './memory-keys';
import { dropRecord, saveRecord } from './read-model';

/** A memory's metadata document as the log holds it: every entry that decrypts here, applied in log order (meta null when none does). */
export interface HeldMeta {
  doc: Y.Doc; meta: Meta | null;
  /** the one update the document was built from, when it was one (it is then the document's whole state) */
  only?: Uint8Array;
}

export function heldMetaOf(ctx: Ctx, space: string, memoryId: string): HeldMeta {
  const doc = newDoc();
  const applied: Uint8Array[] = [];
  for (const e of docEntries(ctx, 'sync_log', space, metaDocId(memoryId))) {
    const plain = decryptEpochEntry(ctx, e);
    if (plain) { Y.applyUpdate(doc, plain); applied.push(plain); }
  }
  return { doc, meta: applied.length ? readMeta(doc) : null, ...(applied.length === 1 ? { only: applied[0] } : {}) };
}

/**
 * Re-derives one memory's read model from its log entries (incremental: only memories a batch
 * touched). A memory whose key this device does not hold (RED for a non-recipient) stays
 * ciphertext in the log and has no readable row. `held` is its metadata document when the
 * caller already built it from the same entries (a received batch checked them): not read again.
 */
export function materialiseMemory(ctx: Ctx, space: string, memoryId: string, held: HeldMeta = heldMetaOf(ctx, space, memoryId)): 'saved' | 'sealed' | 'empty' {
  const { doc: metaDoc, meta, only } = held;
  if (!meta) return 'empty';
  let dek: Uint8Array | null = null;
  try { dek = meta.dek ? unwrapDek(ctx, space, memoryId, meta.dek as DekWrap) : null; } catch { dek = null; }
  if (!dek) {
    dropRecord(ctx, memoryId);
    unindexMemory(ctx, memoryId);
    return 'sealed';
  }
  const contentDoc = newDoc();
  const entries = docEntries(ctx, 'sync_log', space, memoryId);
  const applied: Uint8Array[] = [];
  for (const e of entries) {
    const plain = decryptEntry(e, dek);
    if (plain) { Y.applyUpdate(contentDoc, plain); applied.push(plain); }
  }
  const states = { ...(only ? { meta: only } : {}), ...(applied.length === 1 ? { content: applied[0] } : {}) };
  const { rec, content } = saveRecord(ctx, memoryId, space, meta, metaDoc, contentDoc, dek, entries.length, states);
  indexMemory(ctx, rec, content);
  return 'saved';
}
