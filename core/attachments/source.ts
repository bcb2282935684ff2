import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import { ApiError, invalid } from '../shared/errors';
import { CHUNK_SIZE } from './chunking';
import { tooLarge } from './limits';

/** Where a file's bytes come from: a path on this computer, a stream (read once), or bytes in hand. */
export type AttachmentSource = string | Readable | Uint8Array;

/** A path source checked before anything is read: absolute, a regular file, within the cap. */
export function checkPath(path: string, maxBytes: number): number {
  if (!isAbsolute(path)) throw invalid('path must be an absolute path of a file on this computer', { field: 'path' });
  let st;
  try { st = statSync(path); } catch { throw new ApiError('NOT_FOUND', `There is no file at ${path}`, { field: 'path' }); }
  if (!st.isFile()) throw invalid(`${path} is not a file`, { field: 'path' });
  if (st.size > maxBytes) throw tooLarge(st.size, maxBytes);
  return st.size;
}

/** The bytes of a source as a stream of pieces (a path is read a chunk at a time, never whole). */
export function piecesOf(source: AttachmentSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof source === 'string') return createReadStream(source, { highWaterMark: CHUNK_SIZE });
  if (source instanceof Uint8Array) return [source];
  return source;
}

/** SHA-256 of a file, streamed: the dedupe check of a path runs before anything is encrypted or written. */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(piece as Buffer);
  return h.digest('hex');
}
