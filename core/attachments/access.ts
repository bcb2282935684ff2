import type { Decision } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { dekFor, policyInput } from '../memories/memories';
import { loadRecord, type MemoryRecord } from '../memories/read-model';
import { authorize, enforce } from '../policy/authorize';
import { ApiError, notFound } from '../shared/errors';
import { attachmentsTable, type AttachmentRow } from '../store/tables/attachments';
import { openMeta, type AttachmentMeta } from './sealed-meta';

export type AttachmentAction = 'attachment.add' | 'attachment.read' | 'attachment.delete';

export interface MemoryAccess { rec: MemoryRecord; dek: Uint8Array; decision: Decision }

/**
 * The one gate to a memory's files: the policy decides the action on the memory's authenticated
 * facts (a space the actor is not in reads as NOT_FOUND, as memory.get does), then the memory's
 * key is opened as the actor may open it — for RED only through the actor's own seal, so a
 * recipient list is enforced twice: by the decision and by who holds the key.
 */
export function memoryAccess(ctx: Ctx, actor: string, memoryId: string, action: AttachmentAction): MemoryAccess {
  const rec = loadRecord(ctx, memoryId);
  const decision = authorize(policyInput(ctx, actor, rec, action));
  if (decision.effect === 'DENY' && decision.reasons.some((r) => r.code === 'NOT_A_MEMBER')) throw new ApiError('NOT_FOUND', 'memory not found', { id: memoryId });
  enforce(decision);
  return { rec, dek: dekFor(ctx, rec, actor), decision };
}

export interface AttachmentAccess extends MemoryAccess { row: AttachmentRow; meta: AttachmentMeta }

/** One attachment as the actor may act on it, its sealed part opened (CORRUPT naming it when it does not authenticate). */
export function attachmentAccess(ctx: Ctx, actor: string, attachmentId: string, action: AttachmentAction): AttachmentAccess {
  const row = attachmentsTable.find(ctx.db, attachmentId);
  if (!row) throw notFound('attachment', attachmentId);
  const access = memoryAccess(ctx, actor, row.memory_id, action);
  return { ...access, row, meta: openOrFail(row, access.dek) };
}

export function openOrFail(row: AttachmentRow, dek: Uint8Array): AttachmentMeta {
  const meta = openMeta(row, dek);
  // not noted in ctx.problems: that log and INTEGRITY_VIOLATION speak of memories only
  if (!meta) {
    throw new ApiError('CORRUPT', `attachment ${row.attachment_id} failed authentication: it is unavailable, nothing else is affected`, { id: row.attachment_id });
  }
  return meta;
}
