import { createHash } from 'node:crypto';
import type { Ctx } from '../context/ctx';
import { secretstreamSealer } from '../crypto/secretstream';
import { b64, newKey } from '../crypto/sodium';
import type { MemoryRecord } from '../memories/read-model';
import { ApiError } from '../shared/errors';
import { ulid } from '../shared/ulid';
import { attachmentBlobsTable, attachmentsTable } from '../store/tables/attachments';
import { openOrFail } from './access';
import { CHUNK_SIZE } from './chunking';
import { dedupeKey } from './dedupe-key';
import { recordFileChange } from './files-doc';
import { openBlob } from './open-blob';
import { reusableBlob } from './reuse';
import { chunkAd } from './seal-blob';
import { blobKeyOf, encodeKey, sealMeta } from './sealed-meta';

type Rec = Pick<MemoryRecord, 'memory_id' | 'space_id' | 'band'>;

/**
 * A shared memory's files go with its copy (memory.share, inside its unit of work). A blob belongs
 * to one space — its dedupe key is that space's, and peers of the target space must be able to
 * fetch it there — so each file is re-encrypted into a blob of the target space under a fresh key
 * (unless the target already holds the same bytes the actor can open), and sealed under the
 * copy's key. A file whose chunks have not arrived on this device yet cannot go: CONFLICT.
 */
export function copyFiles(ctx: Ctx, actor: string, from: Rec, fromDek: Uint8Array, to: Rec, toDek: Uint8Array): number {
  const rows = attachmentsTable.ofMemory(ctx.db, from.memory_id);
  for (const row of rows) {
    const meta = openOrFail(row, fromDek);
    // (no file name in the message: a staged share fails where only ids may be written down)
    const src = attachmentBlobsTable.find(ctx.db, row.blob_id);
    if (!src || !src.complete) throw new ApiError('CONFLICT', 'A file of this memory has not arrived on this device yet: share the memory once it has.', { id: row.attachment_id, reason: 'NOT_SYNCED' });
    const dkey = dedupeKey(ctx, to.space_id, meta.sha256);
    const hit = reusableBlob(ctx, actor, to.space_id, dkey, meta.sha256);
    let blobId: string, key: Uint8Array;
    if (hit) { blobId = hit.blob.blob_id; key = hit.key; } else ({ blobId, key } = reseal(ctx, to.space_id, src, blobKeyOf(meta), meta.sha256, dkey));
    const b = attachmentBlobsTable.find(ctx.db, blobId)!;
    const copy = { attachment_id: ulid(ctx.clock.now()), memory_id: to.memory_id, space_id: to.space_id, blob_id: blobId, created_at: row.created_at };
    const copyMeta = { ...meta, key: encodeKey(key) };
    const sealed = sealMeta(copy, copyMeta, toDek);
    attachmentsTable.put(ctx.db, { ...copy, nonce: sealed.nonce, ct: sealed.ct });
    recordFileChange(ctx, to, toDek, { ...copyMeta, attachment_id: copy.attachment_id, blob_id: blobId, created_at: copy.created_at, header: b64(b.header), chunks: b.chunks, chunk_size: b.chunk_size });
  }
  return rows.length;
}

/** The bytes of a blob sealed again, a chunk at a time, into a new whole blob of `space`. */
function reseal(ctx: Ctx, space: string, src: NonNullable<ReturnType<typeof attachmentBlobsTable.find>>, srcKey: Uint8Array, sha256: string, dkey: Uint8Array): { blobId: string; key: Uint8Array } {
  const key = newKey();
  const sealer = secretstreamSealer(key);
  const blobId = ulid(ctx.clock.now());
  const ad = chunkAd(blobId);
  attachmentBlobsTable.begin(ctx.db, blobId, space, sealer.header, src.chunk_size || CHUNK_SIZE, ctx.clock.now());
  const h = createHash('sha256');
  let seq = 0, size = 0;
  for (const piece of openBlob(ctx, src, srcKey)) {
    h.update(piece);
    size += piece.length;
    attachmentBlobsTable.putChunk(ctx.db, blobId, seq, sealer.push(piece, seq === src.chunks - 1, ad));
    seq++;
  }
  if (h.digest('hex') !== sha256 || size !== src.size) throw new ApiError('CORRUPT', 'a stored file does not match its recorded SHA-256', { blob_id: src.blob_id });
  attachmentBlobsTable.complete(ctx.db, blobId, dkey, seq, size);
  return { blobId, key };
}
