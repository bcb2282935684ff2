import { createHash } from 'node:crypto';
import type { Ctx } from '../context/ctx';
import { secretstreamSealer } from '../crypto/secretstream';
import { newKey } from '../crypto/sodium';
import { ulid } from '../shared/ulid';
import { attachmentBlobsTable } from '../store/tables/attachments';
import { CHUNK_SIZE, chunksOf } from './chunking';
import { tooLarge } from './limits';

/** a new blob's chunks are written in transactions of about this much ciphertext: few fsyncs, bounded memory */
const FLUSH_BYTES = 4 * 1024 * 1024;

export interface SealedBlob { blob_id: string; key: Uint8Array; size: number; sha256: string; chunks: number }

export const chunkAd = (blobId: string): Uint8Array => Buffer.from(`attachment-chunk|${blobId}`, 'utf8');

/**
 * Encrypts a stream of bytes into a new, still incomplete blob of a space: secretstream
 * (XChaCha20-Poly1305) under a fresh key, one row per chunk, each chunk bound to its blob
 * (associated data) and the last one tagged final. The bytes are hashed as they pass; nothing
 * holds more than a few chunks. The blob becomes whole only when the caller's transaction
 * completes it with its attachment row; on any failure it is dropped here, and a crash leaves
 * chunks whose key was never stored (swept later, see sweep.ts).
 */
export async function sealBlob(ctx: Ctx, spaceId: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number): Promise<SealedBlob> {
  const key = newKey();
  const sealer = secretstreamSealer(key);
  const blobId = ulid(ctx.clock.now());
  const ad = chunkAd(blobId);
  ctx.uow.run(() => attachmentBlobsTable.begin(ctx.db, blobId, spaceId, sealer.header, CHUNK_SIZE, ctx.clock.now()));
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = (): void => {
    if (!batch.length) return;
    const rows = batch;
    ctx.uow.run(() => { for (const ct of rows) attachmentBlobsTable.putChunk(ctx.db, blobId, seq++, ct); });
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const { chunk, final } of chunksOf(source)) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(size, maxBytes, !final);
      hash.update(chunk);
      const ct = sealer.push(chunk, final, ad);
      batch.push(ct);
      batchBytes += ct.length;
      if (batchBytes >= FLUSH_BYTES) flush();
    }
    flush();
    return { blob_id: blobId, key, size, sha256: hash.digest('hex'), chunks: seq };
  } catch (e) {
    key.fill(0);
    try { ctx.uow.run(() => attachmentBlobsTable.drop(ctx.db, blobId)); } catch { /* locked or closed meanwhile: the sweep drops it */ }
    throw e;
  }
}
