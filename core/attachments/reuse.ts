import type { Ctx } from '../context/ctx';
import { isRecordProblem } from '../memories/integrity';
import { dekFor } from '../memories/memories';
import { findRecord } from '../memories/read-model';
import { attachmentBlobsTable, attachmentsTable, type BlobRow } from '../store/tables/attachments';
import { blobKeyOf, openMeta } from './sealed-meta';

/**
 * A blob of the same bytes already in the space whose key the actor can open — through an
 * attachment of a memory whose key the actor holds. The actor has the bytes in hand, so the key
 * tells them nothing new; a copy only someone else can open (a RED memory sealed to others) is
 * not reused, and the file is stored again.
 */
export function reusableBlob(ctx: Ctx, actor: string, spaceId: string, key: Uint8Array, sha256: string): { blob: BlobRow; key: Uint8Array } | null {
  for (const blob of attachmentBlobsTable.byDedupeKey(ctx.db, spaceId, key)) {
    for (const row of attachmentsTable.ofBlob(ctx.db, blob.blob_id)) {
      try {
        const rec = findRecord(ctx, row.memory_id);
        if (!rec) continue;
        const meta = openMeta(row, dekFor(ctx, rec, actor));
        if (meta && meta.sha256 === sha256 && meta.size === blob.size) return { blob, key: blobKeyOf(meta) };
      } catch (e) {
        // a memory this actor cannot open, or one that fails authentication: try the next copy
        if (isRecordProblem(e) || (e as { code?: string }).code === 'FORBIDDEN') continue;
        throw e;
      }
    }
  }
  return null;
}
