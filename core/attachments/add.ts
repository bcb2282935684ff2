import type { Attachment } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { sha256Hex } from '../crypto/hash';
import { b64 } from '../crypto/sodium';
import { emit } from '../events/emit';
import { eventActor } from '../memories/memories';
import { findRecord } from '../memories/read-model';
import { ApiError, invalid, notFound } from '../shared/errors';
import { attachmentMaxBytes } from '../settings/settings';
import { ulid } from '../shared/ulid';
import { attachmentBlobsTable, attachmentsTable } from '../store/tables/attachments';
import { memoryAccess, type MemoryAccess } from './access';
import { dedupeKey } from './dedupe-key';
import { tooLarge } from './limits';
import { recordFileChange } from './files-doc';
import { checkMime, checkName } from './names';
import { reusableBlob } from './reuse';
import { sealBlob, type SealedBlob } from './seal-blob';
import { encodeKey, sealMeta } from './sealed-meta';
import { checkPath, hashFile, piecesOf, type AttachmentSource } from './source';
import { sweepAbandoned } from './sweep';
import { toAttachment } from './view';

/** What another room (the importer) hands over to keep a file with a memory. */
export interface AddAttachmentInput {
  memory_id: string;
  /** an absolute path, a stream of the bytes (read once, never whole in memory), or bytes in hand */
  source: AttachmentSource;
  name: string;
  mime: string;
  /** when the caller knows it (an import manifest): the bytes read must hash to it, or nothing is kept */
  sha256?: string;
  /** the id to give it (a fresh ULID): an import names the file in the memory's text before the file is stored */
  attachment_id?: string;
}

/**
 * Keeps a file with a memory (attachment.add; the importer calls it directly). Whoever may edit
 * the memory may add one. A path or bytes in hand are hashed first, so the same bytes already in
 * the space are not encrypted again; otherwise the bytes are sealed into a new blob as they are read, and the blob
 * becomes whole in the same transaction as the attachment row — an add that fails or is cut off
 * leaves no attachment, and no chunk anyone can open.
 */
export async function addAttachment(ctx: Ctx, actor: string, input: AddAttachmentInput): Promise<Attachment> {
  const name = checkName(input.name);
  const mime = checkMime(input.mime);
  if (input.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(input.sha256)) throw invalid('sha256 is 64 lowercase hex digits', { field: 'sha256' });
  if (input.attachment_id !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(input.attachment_id)) throw invalid('attachment_id is a ULID', { field: 'attachment_id' });
  const access = memoryAccess(ctx, actor, input.memory_id, 'attachment.add');
  if (access.rec.deleted_at) throw new ApiError('CONFLICT', 'the memory is in the trash: restore it before adding files', { id: input.memory_id });
  const space = access.rec.space_id;
  const max = attachmentMaxBytes(ctx);
  sweepAbandoned(ctx);

  // bytes that can be read twice (a path, bytes in hand) are hashed first: a file already in the
  // space is then not encrypted and written again; a stream is hashed as it is sealed
  let known: string | undefined;
  if (input.source instanceof Uint8Array && input.source.length > max) throw tooLarge(input.source.length, max, false, 'data_base64');
  if (typeof input.source === 'string' || input.source instanceof Uint8Array) {
    if (typeof input.source === 'string') checkPath(input.source, max);
    known = typeof input.source === 'string' ? await hashFile(input.source) : sha256Hex(input.source);
    checkGivenHash(input.sha256, known);
    const hit = ctx.uow.run(() => reusableBlob(ctx, actor, space, dedupeKey(ctx, space, known!), known!));
    if (hit) return commit(ctx, actor, access, { name, mime }, { blob_id: hit.blob.blob_id, key: hit.key, size: hit.blob.size, sha256: known, chunks: hit.blob.chunks }, false, input.attachment_id);
  }
  const sealed = await sealBlob(ctx, space, piecesOf(input.source), max);
  try {
    // a file that changed between the hash and the read is not the one that was checked
    if (known !== undefined && sealed.sha256 !== known) throw new ApiError('CONFLICT', 'the file changed while it was being added: add it again', { field: 'path' });
    checkGivenHash(input.sha256, sealed.sha256);
    return commit(ctx, actor, access, { name, mime }, sealed, true, input.attachment_id);
  } catch (e) {
    try { ctx.uow.run(() => attachmentBlobsTable.drop(ctx.db, sealed.blob_id)); } catch { /* locked meanwhile: swept later */ }
    throw e;
  } finally {
    sealed.key.fill(0);
  }
}

function checkGivenHash(given: string | undefined, actual: string): void {
  if (given !== undefined && given !== actual) throw invalid('the file read is not the one described: its SHA-256 differs', { field: 'sha256', reason: 'SHA256_MISMATCH', expected: given, actual });
}

/**
 * The attachment row, in one transaction with the blob becoming whole. The memory is looked at
 * again here (it may have been erased while the bytes were read), and so is the space's dedupe
 * index (another add of the same bytes may have finished first): then the new copy is dropped.
 */
function commit(ctx: Ctx, actor: string, access: MemoryAccess, facts: { name: string; mime: string }, blob: SealedBlob, fresh: boolean, id?: string): Attachment {
  const { rec, dek, decision } = access;
  const key = dedupeKey(ctx, rec.space_id, blob.sha256);
  return ctx.uow.run(() => {
    const now = findRecord(ctx, rec.memory_id);
    if (!now) throw notFound('memory', rec.memory_id);
    if (now.deleted_at) throw new ApiError('CONFLICT', 'the memory was moved to the trash while the file was added', { id: rec.memory_id });
    let use = { blob_id: blob.blob_id, key: blob.key };
    if (fresh) {
      const other = reusableBlob(ctx, actor, rec.space_id, key, blob.sha256);
      if (other) { attachmentBlobsTable.drop(ctx.db, blob.blob_id); use = { blob_id: other.blob.blob_id, key: other.key }; }
      else if (!attachmentBlobsTable.complete(ctx.db, blob.blob_id, key, blob.chunks, blob.size)) {
        throw new ApiError('CONFLICT', 'the file was set aside while it was being added: add it again', { id: rec.memory_id });
      }
    }
    const row = { attachment_id: id ?? ulid(ctx.clock.now()), memory_id: rec.memory_id, space_id: rec.space_id, blob_id: use.blob_id, created_at: ctx.clock.now() };
    const meta = { ...facts, size: blob.size, sha256: blob.sha256, key: encodeKey(use.key) };
    const sealed = sealMeta(row, meta, dek);
    attachmentsTable.put(ctx.db, { ...row, nonce: sealed.nonce, ct: sealed.ct });
    // every device of the space learns of it through the memory's files document (chunks are fetched apart)
    const b = attachmentBlobsTable.find(ctx.db, use.blob_id)!;
    recordFileChange(ctx, rec, dek, { ...meta, attachment_id: row.attachment_id, blob_id: use.blob_id, created_at: row.created_at, header: b64(b.header), chunks: b.chunks, chunk_size: b.chunk_size });
    emit(ctx, {
      topic: 'MEMORY_UPDATED', payload: { memory_id: rec.memory_id, version: rec.version, fields: ['attachments'] },
      actor: eventActor(ctx, actor, rec.space_id), space_id: rec.space_id, band: rec.band, obligations: decision.obligations,
    });
    ctx.metrics.inc('memoryos_attachments_added_total', { stored: use.blob_id === blob.blob_id && fresh ? 'new' : 'deduplicated' });
    return toAttachment(row, meta);
  });
}
