import * as Y from 'yjs';
import { keys, type Ctx } from '../context/ctx';
import { newDoc } from '../crdt/doc-update';
import { keyMissing } from '../policy/authorize';
import { ApiError } from '../shared/errors';
import { decryptEpochEntry, epochKey, epochKeyId } from '../spaces/epoch-keys';
import { spaceRow } from '../spaces/spaces';
import { appendUpdate, decryptEntry, docEntries, lastEntryId, purgeDocEntries, type LogEntry } from '../store/sync-log';
import { isTombstoned } from './erasure';
import { materialiseMemory } from './materialise';
import { dekKeyId } from './memory-keys';

/**
 * Compaction: one snapshot entry (this device's next seq) holding the whole merged document,
 * then the older entries' ciphertext is purged. A peer still holding the older entries applies
 * the snapshot as one more Yjs update (idempotent); a peer that lacks them receives their
 * headers and the snapshot. Either way the state and the vectors converge.
 */
export function compactDoc(ctx: Ctx, space: string, docId: string): { purged: number; snapshot_seq: number } {
  const isMeta = docId.endsWith('.meta');
  const memoryId = isMeta ? docId.slice(0, -5) : docId;
  if (isTombstoned(ctx, space, memoryId)) throw new ApiError('CONFLICT', 'that memory was erased');
  const entries = docEntries(ctx, 'sync_log', space, docId).filter((e) => !e.purged_sha256);
  if (entries.length < 2) return { purged: 0, snapshot_seq: 0 };
  const epoch = spaceRow(ctx, space).epoch;
  const dek = isMeta ? null : keys(ctx).deks.get(memoryId) ?? null;
  const open = (e: LogEntry): Uint8Array | null => (isMeta ? decryptEpochEntry(ctx, e) : decryptEntry(e, dek!));
  if (!isMeta && !dek) throw keyMissing('NO_KEY', 'this device holds no key for that document');
  const doc = newDoc();
  for (const e of entries) {
    const plain = open(e);
    if (!plain) throw new ApiError('CONFLICT', 'an entry of that document cannot be opened here: not compacted', { seq: e.seq });
    Y.applyUpdate(doc, plain);
  }
  const lastId = lastEntryId(ctx, space, docId);
  return ctx.uow.run(() => {
    const snap = isMeta
      ? appendUpdate(ctx, 'sync_log', space, docId, epochKeyId(space, epoch), epochKey(ctx, space, epoch), Y.encodeStateAsUpdate(doc))
      : appendUpdate(ctx, 'sync_log', space, docId, dekKeyId(memoryId), dek!, Y.encodeStateAsUpdate(doc));
    const purged = purgeDocEntries(ctx, space, [docId], lastId);
    materialiseMemory(ctx, space, memoryId);
    return { purged, snapshot_seq: snap.seq };
  });
}
