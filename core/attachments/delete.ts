import type { Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { eventActor } from '../memories/memories';
import { checkpointTruncate } from '../store/database';
import { attachmentsTable } from '../store/tables/attachments';
import { attachmentAccess } from './access';
import { recordFileChange } from './files-doc';

/**
 * attachment.delete: the row goes, and its chunks with it unless another attachment in the space
 * holds the same bytes. The WAL is checkpointed after, so with secure_delete no page of the data
 * directory keeps the ciphertext either.
 */
export function deleteAttachment(ctx: Ctx, actor: string, attachmentId: string): { attachment_id: string; chunks_deleted: boolean } {
  const { row, rec, dek, decision } = attachmentAccess(ctx, actor, attachmentId, 'attachment.delete');
  const chunksDeleted = ctx.uow.run(() => {
    const gone = attachmentsTable.delete(ctx.db, attachmentId, row.blob_id);
    // and on every device of the space: the memory's files document says it is gone
    recordFileChange(ctx, rec, dek, null, attachmentId);
    emit(ctx, {
      topic: 'MEMORY_UPDATED', payload: { memory_id: rec.memory_id, version: rec.version, fields: ['attachments'] },
      actor: eventActor(ctx, actor, rec.space_id), space_id: rec.space_id, band: rec.band, obligations: decision.obligations,
    });
    return gone;
  });
  if (chunksDeleted) checkpointTruncate(ctx.db);
  return { attachment_id: attachmentId, chunks_deleted: chunksDeleted };
}
