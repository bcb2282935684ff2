import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs the real .dependency-cruiser.cjs over a scratch tree that breaks every layer rule, so a
 * config change that silently disables a rule fails here rather than in review.
 */
const REPO = path.resolve(__dirname, '..', '..');
const DEPCRUISE = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const GLOB = '{core,electron,renderer,contracts,tests}/**';

let root: string;

function write(rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, GLOB, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function setup(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(REPO, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  fs.copyFileSync(path.join(REPO, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"layer-lint-fixture","private":true}\n');
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'memoryos-layers-'));
  setup(root);
  // an installed package, to check resolved node_modules paths match too
  write('node_modules/react/package.json', '{"name":"react","main":"index.js"}\n');
  write('node_modules/react/index.js', 'module.exports = {};\n');
  write('core/index.ts', 'export const ok = 1;\n');
  write('core/deep/x.ts', 'export const deep = 1;\n');
  write('core/fine.ts', "import * as fs from 'fs';\nimport type { Band } from '../contracts/types/index';\nexport const f = [fs];\nexport type B = Band;\n");
  write(
    'core/bad.ts',
    [
      "import { app } from 'electron';",
      "import { shell } from '../electron/main';",
      "import { View } from '../renderer/App';",
      "import * as React from 'react';",
      "import { createRoot } from 'react-dom/client';",
      "import { helper } from '../tests/helper';",
      'export const z = [app, shell, View, React, createRoot, helper];',
      '',
    ].join('\n'),
  );
  write(
    'electron/main.ts',
    [
      "import { app } from 'electron';",
      "import { ok } from '../core';",
      "import { ok as ok2 } from '../core/index';",
      "import type { deep } from '../core/deep/x';",
      "import { View } from '../renderer/App';",
      'export const shell = [app, ok, ok2, View];',
      'export type D = typeof deep;',
      '',
    ].join('\n'),
  );
  write(
    'renderer/App.tsx',
    [
      "import * as fs from 'fs';",
      "import { join } from 'node:path';",
      "import { ok } from '../core/index';",
      "import { ipcRenderer } from 'electron';",
      "import { shell } from '../electron/main';",
      "import type { Band } from '../contracts/types/index';",
      'export const View = () => <div>{String([fs, join, ok, ipcRenderer, shell])}</div>;',
      'export type B = Band;',
      '',
    ].join('\n'),
  );
  write(
    'contracts/types/index.ts',
    "import type { ok } from '../../core/index';\nimport * as path from 'path';\nimport type { Other } from './other';\nexport type Band = 'GREEN' | typeof ok | Other;\nexport const p = path;\n",
  );
  write('contracts/types/other.ts', "export type Other = 'X';\n");
  write('tests/helper.ts', "import { deep } from '../core/deep/x';\nimport { View } from '../renderer/App';\nexport const helper = [deep, View];\n");
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('lint:layers (.dependency-cruiser.cjs)', () => {
  it('passes on an empty tree', () => {
    const empty = path.join(root, 'empty');
    setup(empty);
    const r = cruise(empty);
    expect(r.out).not.toMatch(/error/i);
    expect(r.status).toBe(0);
  });

  it('fires every layer rule on offending imports, and only on those', () => {
    const r = cruise(root);
    expect(r.status).not.toBe(0);
    const violations = [...r.out.matchAll(/error (\S+): (\S+) → (\S+)/g)].map((m) => `${m[1]}: ${m[2]} -> ${m[3]}`).sort();
    expect(violations).toEqual(
      [
        'contracts-self-contained: contracts/types/index.ts -> core/index.ts',
        'contracts-self-contained: contracts/types/index.ts -> path',
        'core-not-to-electron-shell: core/bad.ts -> electron/main.ts',
        'core-not-to-electron: core/bad.ts -> electron',
        'core-not-to-renderer: core/bad.ts -> renderer/App.tsx',
        'core-not-to-ui-packages: core/bad.ts -> node_modules/react/index.js',
        'core-not-to-ui-packages: core/bad.ts -> react-dom/client',
        'electron-not-to-renderer: electron/main.ts -> renderer/App.tsx',
        'electron-only-core-entry: electron/main.ts -> core/deep/x.ts',
        'not-to-tests: core/bad.ts -> tests/helper.ts',
        'renderer-not-to-core: renderer/App.tsx -> core/index.ts',
        'renderer-not-to-electron-shell: renderer/App.tsx -> electron/main.ts',
        'renderer-not-to-electron: renderer/App.tsx -> electron',
        'renderer-not-to-node-builtins: renderer/App.tsx -> fs',
        'renderer-not-to-node-builtins: renderer/App.tsx -> path',
      ].sort(),
    );
  });

  it('holds the rooms inside core/: no cycles (type-only ones too), the domain never reaches up, doors go through app/', () => {
    const inner = path.join(root, 'inner');
    setup(inner);
    const w = (rel: string, text: string) => {
      const file = path.join(inner, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    };
    // a type-only cycle between two domain files
    w('core/memories/a.ts', "import type { B } from './b';\nexport type A = { b?: B };\n");
    w('core/memories/b.ts', "import type { A } from './a';\nexport type B = { a?: A };\n");
    // the domain reaching up into sync and the composition root
    w('core/sync/node.ts', 'export const node = 1;\n');
    w('core/app/app.ts', "import { internals } from './internals';\nexport const app = internals;\n");
    w('core/app/internals.ts', 'export const internals = 1;\n');
    w('core/spaces/up.ts', "import { node } from '../sync/node';\nimport { app } from '../app/app';\nexport const up = [node, app];\n");
    // lower layers reaching into the domain
    w('core/store/s.ts', "import { up } from '../spaces/up';\nexport const s = up;\n");
    w('core/shared/x.ts', "import { s } from '../store/s';\nexport const x = s;\n");
    w('core/policy/p.ts', "import { up } from '../spaces/up';\nexport const p = up;\n");
    // a door reaching past app/, and into the internals
    w('core/host/server.ts', "import { s } from '../store/s';\nimport { internals } from '../app/internals';\nimport { app } from '../app/app';\nexport const h = [s, internals, app];\n");
    // a transport importing the domain; the API importing sync
    w('core/transports/direct.ts', "import { up } from '../spaces/up';\nexport const d = up;\n");
    w('core/api/router.ts', "import { node } from '../sync/node';\nexport const r = node;\n");
    const r = cruise(inner);
    expect(r.status).not.toBe(0);
    const violations = [...r.out.matchAll(/error (\S+): (\S+) →\s+(\S+)/g)].map((m) => `${m[1]}: ${m[2]} -> ${m[3]}`).sort();
    expect(violations).toEqual(
      [
        'core-api-not-to-composition: core/api/router.ts -> core/sync/node.ts',
        'core-doors-through-app: core/host/server.ts -> core/store/s.ts',
        'core-domain-not-to-upper-layers: core/spaces/up.ts -> core/app/app.ts',
        'core-domain-not-to-upper-layers: core/spaces/up.ts -> core/sync/node.ts',
        'core-internals-for-tests-only: core/host/server.ts -> core/app/internals.ts',
        'core-no-circular: core/memories/a.ts -> core/memories/b.ts',
        'core-policy-pure: core/policy/p.ts -> core/spaces/up.ts',
        'core-shared-pieces-stateless: core/shared/x.ts -> core/store/s.ts',
        'core-store-below-everything: core/store/s.ts -> core/spaces/up.ts',
        'core-transports-through-ports: core/transports/direct.ts -> core/spaces/up.ts',
      ].sort(),
    );
  });
});
