import { createHash } from 'node:crypto';
import type { ImportFormat } from './item';

/** bump when what a format feeds into its hash changes: old and new imports then no longer match */
const VERSION = 'memoryos-import/1';

/**
 * The stable hash of a source item (`ImportedItem.source.hash`): SHA-256 hex of a JSON array of
 * the version, the format and the parts the reader names — the item's raw bytes (or their hash),
 * its place where the place is part of its identity, and the hashes of its attachments. Readers
 * feed source facts only, never their own conversion output, so the hash survives converter changes.
 */
export function sourceHash(format: ImportFormat, parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify([VERSION, format, ...parts])).digest('hex');
}

/** SHA-256 hex of bytes or a string (UTF-8) */
export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
