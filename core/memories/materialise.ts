import * as Y from 'yjs';
import type { Ctx } from '../context/ctx';
import { newDoc } from '../crdt/doc-update';
import { indexMemory, unindexMemory } from '../search/indexer';
import { decryptEpochEntry } from '../spaces/epoch-keys';
import { decryptEntry, docEntries } from '../store/sync-log';
import { metaDocId, readMeta } from './memory-doc';
import { unwrapDek, type DekWrap } from './memory-keys';
import { dropRecord, saveRecord } from './read-model';

/**
 * Re-derives one memory's read model from its log entries (incremental: only memories a batch
 * touched). A memory whose key this device does not hold (RED for a non-recipient) stays
 * ciphertext in the log and has no readable row.
 */
export function materialiseMemory(ctx: Ctx, space: string, memoryId: string): 'saved' | 'sealed' | 'empty' {
  const metaDoc = newDoc();
  let any = false;
  for (const e of docEntries(ctx, 'sync_log', space, metaDocId(memoryId))) {
    const plain = decryptEpochEntry(ctx, e);
    if (plain) { Y.applyUpdate(metaDoc, plain); any = true; }
  }
  if (!any) return 'empty';
  const meta = readMeta(metaDoc);
  let dek: Uint8Array | null = null;
  try { dek = meta.dek ? unwrapDek(ctx, space, memoryId, meta.dek as DekWrap) : null; } catch { dek = null; }
  if (!dek) {
    dropRecord(ctx, memoryId);
    unindexMemory(ctx, memoryId);
    return 'sealed';
  }
  const contentDoc = newDoc();
  const entries = docEntries(ctx, 'sync_log', space, memoryId);
  for (const e of entries) {
    const plain = decryptEntry(e, dek);
    if (plain) Y.applyUpdate(contentDoc, plain);
  }
  const { rec, content } = saveRecord(ctx, memoryId, space, meta, metaDoc, contentDoc, dek, entries.length);
  indexMemory(ctx, rec, content);
  return 'saved';
}
