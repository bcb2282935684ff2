import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The repository root (where contracts/ lives), found from this file whether run from source or dist/. */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'contracts', 'api', 'common.schema.json'))) return (cached = dir);
    dir = dirname(dir);
  }
  throw new Error('contracts/ not found above ' + __dirname);
}

export const contractsDir = (): string => join(repoRoot(), 'contracts');
