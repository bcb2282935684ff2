import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Components reach the API through stores only (issue 7, item 10): nothing under
 * renderer/src/screens or renderer/src/components may import the raw API client (stores/client,
 * api/client, or any other module of renderer/src/api that makes or carries a connection) nor call
 * `.call(` itself. A screen reads state from a store in renderer/src/stores and calls its actions.
 * (api/errors stays allowed: ApiCallError and describeError are plain error helpers, no client.)
 */

const ROOT = resolve(__dirname, '../../..');
const SRC = join(ROOT, 'renderer', 'src');
/** screens and components, and the hooks they use (a hook is component code too) */
const SCANNED = ['screens', 'components', 'hooks'].map((d) => join(SRC, d));

/** modules that expose the raw client or its transports, by path under renderer/src, no extension */
const FORBIDDEN = new Set(['stores/client', 'api/client', 'api/connect', 'api/transport', 'api/ws-transport', 'api/ipc-transport', 'api/login-token']);

export interface Offence { file: string; line: number; what: string }

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.(ts|tsx|js|jsx|mts|cts)$/.test(name) ? [p] : [];
  });
}

/** The module a relative specifier names, as a path under renderer/src without extension (null: not in renderer/src). */
function target(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const abs = resolve(dirname(file), spec).replace(/\.(ts|tsx|js|jsx|mts|cts)$/, '').replace(/[\\/]index$/, '');
  const rel = relative(SRC, abs);
  if (rel.startsWith('..')) return null;
  return rel.split(sep).join('/');
}

/** Every import of a forbidden module and every `.call(` in one source text. */
export function offences(file: string, text: string): Offence[] {
  const out: Offence[] = [];
  const lines = text.split('\n');
  // static imports and re-exports (`import … from '…'`, `import '…'`, `export … from '…'`), dynamic `import('…')`, `require('…')`
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"]+)\1/g;
  lines.forEach((line, i) => {
    for (const m of line.matchAll(specifier)) {
      const t = target(file, m[2]);
      if (t && FORBIDDEN.has(t)) out.push({ file, line: i + 1, what: `imports ${m[2]} (the raw API client): use a store in renderer/src/stores` });
    }
    if (/\.call\s*\(/.test(line)) out.push({ file, line: i + 1, what: 'calls .call( itself: move the API call into a store action' });
  });
  return out;
}

describe('components reach the API through stores only', () => {
  it('no file under renderer/src/screens or renderer/src/components imports the raw client or calls .call(', () => {
    const files = SCANNED.flatMap(walk);
    expect(files.length).toBeGreaterThan(10); // the scan found the screens
    const found = files.flatMap((f) => offences(f, readFileSync(f, 'utf8')));
    const report = found.map((o) => `${relative(ROOT, o.file).split(sep).join('/')}:${o.line} ${o.what}`);
    expect(report, `API calls outside the stores:\n${report.join('\n')}`).toEqual([]);
  });

  it('the scan catches each way of reaching the client (so the test above cannot pass vacuously)', () => {
    const screen = join(SRC, 'screens', 'devices', 'Example.tsx');
    const caught = (text: string) => offences(screen, text).map((o) => o.what.split(' ')[0]);
    expect(caught("import { api } from '../../stores/client';")).toEqual(['imports']);
    expect(caught('import type { ApiClient } from "../../api/client.ts";')).toEqual(['imports']);
    expect(caught("const { connect } = await import('../../api/connect');")).toEqual(['imports']);
    expect(caught("export { api } from '../../stores/client';")).toEqual(['imports']);
    expect(caught("await client.call('vault.status', {});")).toEqual(['calls']);
    expect(caught("await api().call ('memory.get', { memory_id: id });")).toEqual(['calls']);
    // allowed: stores, the error helpers, and names that merely contain "client" or "call"
    expect(caught("import { useSync } from '../../stores/sync';")).toEqual([]);
    expect(caught("import { describeError } from '../../api/errors';")).toEqual([]);
    expect(caught("import { useAudit } from '../../stores/audit'; recall(x); const clientName = 1;")).toEqual([]);
  });
});
