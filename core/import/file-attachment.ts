import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportedAttachment } from './item';
import { mimeOr } from './mime';

export interface FileDigest {
  size: number;
  sha256: string;
}

/** SHA-256 and size of a file, computed as it streams from disk (never whole in memory). */
export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Makes attachments of files on disk. It remembers the digest of each file it has hashed (by
 * path, size and modification time), so an image embedded in a thousand notes is read once.
 */
export class FileAttachments {
  private readonly digests = new Map<string, { key: string; digest: FileDigest }>();

  async attachment(path: string, options: { name?: string; mime?: string } = {}): Promise<ImportedAttachment> {
    const name = options.name ?? basename(path);
    const { size, sha256 } = await this.digest(path);
    return { name, mime: mimeOr(options.mime, name), size, sha256, open: () => createReadStream(path) };
  }

  async digest(path: string): Promise<FileDigest> {
    const s = await stat(path);
    if (!s.isFile()) throw new Error(`${basename(path)} is not a file`);
    const key = `${s.size}:${s.mtimeMs}`;
    const known = this.digests.get(path);
    if (known && known.key === key) return known.digest;
    const digest = await digestFile(path);
    if (this.digests.size > 50_000) this.digests.clear(); // bounded: a cache, not an index
    this.digests.set(path, { key, digest });
    return digest;
  }
}
