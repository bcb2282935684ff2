import { createHash } from 'node:crypto';
import { createWriteStream, unlinkSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { once } from 'node:events';
import type { Attachment } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { eventActor } from '../memories/memories';
import { bandObligations } from '../policy/authorize';
import { ApiError, invalid } from '../shared/errors';
import { undoWindowSeconds } from '../settings/settings';
import { attachmentBlobsTable } from '../store/tables/attachments';
import { attachmentAccess, type AttachmentAccess } from './access';
import { INLINE_MAX_BYTES, tooLargeInline } from './limits';
import { openBlob } from './open-blob';
import { blobKeyOf } from './sealed-meta';
import { toAttachment } from './view';

/** The decrypted bytes of an attachment, a chunk at a time, with the whole checked against its SHA-256 at the end. */
export function* attachmentBytes(ctx: Ctx, a: Pick<AttachmentAccess, 'row' | 'meta'>): Generator<Uint8Array> {
  const blob = attachmentBlobsTable.find(ctx.db, a.row.blob_id);
  // a file added on another device whose chunks have not all arrived: its record came ahead of it
  if (!blob || !blob.complete) throw new ApiError('CONFLICT', 'This file has not arrived from the other device yet: it is fetched as soon as that device is online. Try again in a moment.', { id: a.row.attachment_id, reason: 'NOT_SYNCED' });
  const h = createHash('sha256');
  let size = 0;
  for (const piece of openBlob(ctx, blob, blobKeyOf(a.meta))) { h.update(piece); size += piece.length; yield piece; }
  if (size !== a.meta.size || h.digest('hex') !== a.meta.sha256) throw new ApiError('CORRUPT', `attachment ${a.row.attachment_id} does not match its recorded SHA-256`, { id: a.row.attachment_id });
}

/**
 * attachment.get: opens a file for whoever may open its memory. To `out` the chunks are written
 * as they are authenticated, with back-pressure (a 100 MB file never sits whole in memory); a
 * file that fails part-way is removed, never left half-written. Inline only for small files.
 */
export async function getAttachment(ctx: Ctx, actor: string, attachmentId: string, out?: string): Promise<{ attachment: Attachment; data_base64?: string; out?: string }> {
  const a = attachmentAccess(ctx, actor, attachmentId, 'attachment.read');
  if (out !== undefined && !isAbsolute(out)) throw invalid('out must be an absolute path', { field: 'out' });
  if (out === undefined && a.meta.size > INLINE_MAX_BYTES) throw tooLargeInline(a.meta.size);
  if (a.rec.band !== 'GREEN') {
    // opening a file of an AMBER, RED or BLACK memory is audited, as opening the memory is
    ctx.uow.run(() => emit(ctx, {
      topic: 'RECALL_REQUEST', payload: { memory_id: a.rec.memory_id, kind: 'attachment', attachment_id: attachmentId }, actor: eventActor(ctx, actor, a.rec.space_id),
      space_id: a.rec.space_id, band: a.rec.band, obligations: bandObligations(a.rec.band, undoWindowSeconds(ctx)), audit: true,
    }));
  }
  const attachment = toAttachment(a.row, a.meta);
  if (out === undefined) return { attachment, data_base64: Buffer.concat([...attachmentBytes(ctx, a)]).toString('base64') };
  await writeOut(out, attachmentBytes(ctx, a));
  return { attachment, out };
}

async function writeOut(out: string, pieces: Iterable<Uint8Array>): Promise<void> {
  const ws = createWriteStream(out, { flags: 'wx', mode: 0o600 });
  const failed = new Promise<never>((_, reject) => ws.once('error', reject));
  failed.catch(() => {});
  try {
    await Promise.race([once(ws, 'open'), failed]);
    for (const piece of pieces) {
      if (!ws.write(piece)) await Promise.race([once(ws, 'drain'), failed]);
    }
    ws.end();
    await Promise.race([once(ws, 'finish'), failed]);
  } catch (e) {
    ws.destroy();
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') throw new ApiError('CONFLICT', `${out} already exists: choose another name (a file is never replaced)`, { field: 'out' });
    try { unlinkSync(out); } catch { /* never created */ }
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw invalid(`cannot write ${out}: ${code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : 'permission denied'}`, { field: 'out' });
    throw e;
  }
}
