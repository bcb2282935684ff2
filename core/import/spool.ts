import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpooledFile {
  path: string;
  size: number;
  sha256: string;
  /** MD5 hex: what ENML's `<en-media hash>` names a resource by */
  md5: string;
}

/**
 * A folder of temp files for bytes that arrive inside a stream (an ENEX resource's base64):
 * each `SpoolWriter` appends decoded pieces to its own file as they come, hashing them on the
 * way, so a 100 MB resource never sits in memory. Writes are synchronous and small (one sax
 * chunk at a time), which keeps the parser's callbacks simple and the memory flat.
 */
export class Spool {
  readonly dir: string;
  private n = 0;

  constructor(parent: string = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'memoryos-import-'));
  }

  writer(): SpoolWriter {
    return new SpoolWriter(join(this.dir, `${++this.n}.bin`));
  }

  /** removes one spooled file (once its item has been consumed) */
  discard(path: string): void {
    try { unlinkSync(path); } catch { /* already gone */ }
  }

  /** removes the whole folder */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class SpoolWriter {
  private fd: number | null;
  private size = 0;
  private readonly sha = createHash('sha256');
  private readonly md5: Hash = createHash('md5');

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(bytes: Buffer): void {
    if (this.fd === null) throw new Error('spool file already closed');
    if (bytes.length === 0) return;
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.sha.update(bytes);
    this.md5.update(bytes);
    this.size += bytes.length;
  }

  finish(): SpooledFile {
    this.closeFd();
    return { path: this.path, size: this.size, sha256: this.sha.digest('hex'), md5: this.md5.digest('hex') };
  }

  /** gives up on the file (a damaged resource) */
  abandon(): void {
    this.closeFd();
    try { unlinkSync(this.path); } catch { /* gone */ }
  }

  private closeFd(): void {
    if (this.fd !== null) { closeSync(this.fd); this.fd = null; }
  }
}

export const openSpooled = (path: string) => createReadStream(path);
