import { createHmac } from 'node:crypto';
import { keys, type Ctx } from '../context/ctx';
import { kdf, wipe } from '../crypto/sodium';

/**
 * The key a file's bytes are found under in a space (attachment_blobs.dedupe_key): HMAC-SHA256
 * of the file's SHA-256 under a key of that space, itself derived from the vault key. A bare
 * SHA-256 on disk would let anyone with a copy of a public file (a leaked PDF, a meme) confirm
 * it is in the vault; per space, the same file in two spaces has two unrelated keys, so the
 * table does not say that two spaces hold the same file either.
 */
export function dedupeKey(ctx: Ctx, spaceId: string, sha256: string): Buffer {
  const base = kdf(keys(ctx).vmk, 'memoryos-attachment-dedupe');
  const spaceKey = createHmac('sha256', base).update(`space\n${spaceId}`, 'utf8').digest();
  try {
    return createHmac('sha256', spaceKey).update(sha256, 'utf8').digest();
  } finally {
    wipe(base);
    spaceKey.fill(0);
  }
}
