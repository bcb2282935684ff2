import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * core/import/ is domain-level code that parses: it may import itself, core/shared/*,
 * core/crypto/hash.ts, Node built-ins and npm packages — nothing else of core (no store, no
 * api, no app), and no network or process modules. (.dependency-cruiser.cjs does not name the
 * room yet; this keeps the rule until it does.)
 */
const DIR = join(__dirname, '..', '..', '..', 'core', 'import');
const FORBIDDEN_BUILTINS = ['http', 'https', 'net', 'tls', 'dgram', 'child_process', 'cluster', 'worker_threads', 'vm'];

describe('core/import layering', () => {
  it('imports only itself, core/shared, core/crypto/hash, Node built-ins (no network, no processes) and packages', () => {
    const bad: string[] = [];
    for (const f of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(DIR, f), 'utf8');
      for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        const ok = spec.startsWith('./') ? !spec.includes('/', 2)
          : spec.startsWith('../') ? /^\.\.\/shared\/[\w-]+$/.test(spec) || spec === '../crypto/hash'
          : spec.startsWith('node:') ? !FORBIDDEN_BUILTINS.includes(spec.slice(5))
          : !builtinModules.includes(spec) || !FORBIDDEN_BUILTINS.includes(spec);
        if (!ok) bad.push(`${f}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
