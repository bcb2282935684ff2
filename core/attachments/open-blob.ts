import type { Ctx } from '../context/ctx';
import { secretstreamOpener } from '../crypto/secretstream';
import { ApiError } from '../shared/errors';
import { attachmentBlobsTable, type BlobRow } from '../store/tables/attachments';
import { chunkAd } from './seal-blob';

const damaged = (blobId: string, why: string): ApiError =>
  new ApiError('CORRUPT', `a stored file failed authentication (${why}): it is unavailable, nothing else is affected`, { blob_id: blobId });

/**
 * The plaintext of a blob, chunk by chunk (one chunk row read and opened at a time). Every
 * chunk is authenticated before it is handed out; a missing, reordered, damaged or truncated
 * chunk ends the stream with CORRUPT, so a consumer never sees bytes that were not sealed.
 */
export function* openBlob(ctx: Ctx, blob: BlobRow, key: Uint8Array): Generator<Uint8Array> {
  const opener = secretstreamOpener(key, blob.header);
  const ad = chunkAd(blob.blob_id);
  for (let seq = 0; seq < blob.chunks; seq++) {
    const row = attachmentBlobsTable.chunk(ctx.db, blob.blob_id, seq);
    if (!row) throw damaged(blob.blob_id, `chunk ${seq} is missing`);
    const opened = opener.pull(row.ct, ad);
    if (!opened) throw damaged(blob.blob_id, `chunk ${seq} does not authenticate`);
    if (opened.final !== (seq === blob.chunks - 1)) throw damaged(blob.blob_id, opened.final ? 'it ends early' : 'its end is missing');
    yield opened.message;
  }
}
