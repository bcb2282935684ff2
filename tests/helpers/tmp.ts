import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data directory per test; removed afterwards unless KEEP_TEST_DATA=1. */
export function tempDir(prefix = 'memoryos-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => { if (!process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true }); } };
}
