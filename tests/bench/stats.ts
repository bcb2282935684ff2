import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Nearest-rank percentile of a sample, in the sample's unit. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface Latency { n: number; p50: number; p95: number; p99: number; mean: number; max: number }

export function summarize(ms: number[]): Latency {
  return {
    n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99),
    mean: ms.reduce((a, b) => a + b, 0) / (ms.length || 1), max: Math.max(...ms),
  };
}

/** Resident set size, after a GC when the process runs with --expose-gc (less noise from garbage). */
export function rssBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

/** Peak and current RSS of any process, from /proc (Linux). */
export function procRss(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Every file under a directory, recursively (the bench's stale-build check and its disk figure). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Bytes of every file under a directory (the database, its WAL, the vault header): what a data directory costs on disk. */
export const dirBytes = (dir: string): number => filesUnder(dir).reduce((sum, f) => sum + statSync(f).size, 0);
