import type { Attachment } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { attachmentBlobsTable, attachmentsTable } from '../store/tables/attachments';
import { memoryAccess, openOrFail } from './access';
import { toAttachment } from './view';

/** attachment.list: the files of a memory, oldest first, for whoever may open the memory. */
export function listAttachments(ctx: Ctx, actor: string, memoryId: string): Attachment[] {
  const { dek } = memoryAccess(ctx, actor, memoryId, 'attachment.read');
  return attachmentsTable.ofMemory(ctx.db, memoryId).map((row) => toAttachment(row, openOrFail(row, dek), attachmentBlobsTable.find(ctx.db, row.blob_id)?.complete === 1));
}
