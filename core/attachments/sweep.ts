import type { Ctx } from '../context/ctx';
import { attachmentBlobsTable } from '../store/tables/attachments';

/** an add in progress (any process on this data directory) finishes well within this */
const ABANDONED_AFTER_MS = 6 * 3600 * 1000;

/**
 * Drops blobs an add left incomplete (the process was killed, or the vault locked mid-file). Their
 * key lived only in that process's memory, so their chunks open for nobody: this frees the space.
 * Only old ones: another process may be adding a large file right now.
 */
export function sweepAbandoned(ctx: Ctx): number {
  const old = attachmentBlobsTable.abandoned(ctx.db, ctx.clock.now() - ABANDONED_AFTER_MS);
  if (old.length) ctx.uow.run(() => { for (const b of old) attachmentBlobsTable.drop(ctx.db, b.blob_id); });
  return old.length;
}
