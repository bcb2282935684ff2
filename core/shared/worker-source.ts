import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * How to start the worker thread `base` (a file name without extension) that sits in `dir`: its
 * built JavaScript, or (tests run from source) its TypeScript through tsx's require hook when tsx
 * is installed (a development checkout). Null when neither is there.
 */
export function workerSource(dir: string, base: string): { source: string; eval: boolean } | null {
  const js = join(dir, `${base}.js`);
  if (existsSync(js)) return { source: js, eval: false };
  const ts = join(dir, `${base}.ts`);
  if (!existsSync(ts)) return null;
  let hook: string;
  try { hook = createRequire(join(dir, `${base}.ts`)).resolve('tsx/cjs'); } catch { return null; }
  return { source: `require(${JSON.stringify(hook)}); require(${JSON.stringify(ts)});`, eval: true };
}
