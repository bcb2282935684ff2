import { createHmac } from 'node:crypto';
import { keys, type Ctx } from '../context/ctx';
import { kdf } from '../crypto/sodium';

/**
 * The key an import source is stored under (import_sources, migration 018): HMAC-SHA256 over the
 * space and the reader's SHA-256 of the source item, under a key derived from the vault key. The
 * reader's hash alone is a plain SHA-256 of the source's bytes, so anyone holding a public file
 * could look it up; keyed, the table says nothing without the vault key. Per space, so the same
 * note imported into two spaces is two sources.
 */
export function sourceKey(ctx: Ctx, spaceId: string, sourceHash: string): Buffer {
  const key = kdf(keys(ctx).vmk, 'memoryos-import-source');
  try {
    return createHmac('sha256', key).update(`${spaceId}\n${sourceHash}`, 'utf8').digest();
  } finally {
    key.fill(0);
  }
}
