import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../shared/errors';

export interface HostLock { pid: number; port: number; token: string; started_at: string; sync_port?: number | null }

export const lockPath = (dataDir: string): string => join(dataDir, 'host.lock');

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** The live host of a data directory, if any (a lock left by a dead process does not count). */
export function readLiveLock(dataDir: string): HostLock | null {
  const p = lockPath(dataDir);
  if (!existsSync(p)) return null;
  try {
    const lock = JSON.parse(readFileSync(p, 'utf8')) as HostLock;
    return lock.pid !== process.pid && alive(lock.pid) ? lock : null;
  } catch {
    return null;
  }
}

/** Single writer per data directory: refuses when another live host holds the lock. Mode 0600: it holds the token. */
export function acquireLock(dataDir: string, lock: HostLock): void {
  const live = readLiveLock(dataDir);
  if (live) throw new ApiError('BUSY', `another host (pid ${live.pid}) is serving this data directory on port ${live.port}`, { pid: live.pid, port: live.port });
  const p = lockPath(dataDir);
  if (existsSync(p)) unlinkSync(p); // stale, from a process that died
  const fd = openSync(p, 'wx', 0o600);
  try { writeSync(fd, JSON.stringify(lock)); } finally { closeSync(fd); }
}

export function releaseLock(dataDir: string): void {
  try {
    const p = lockPath(dataDir);
    const lock = JSON.parse(readFileSync(p, 'utf8')) as HostLock;
    if (lock.pid === process.pid) unlinkSync(p);
  } catch { /* nothing to release */ }
}
