/**
 * Layer boundaries (SPEC §1), enforced in CI by `npm run lint:layers`.
 *
 *   contracts/  JSON schemas + generated types: imports nothing outside contracts/
 *   core/       platform-neutral domain: never electron, renderer/, electron/, React/DOM packages
 *   electron/   thin shell: from core/ only the public entry core/index.ts; never renderer/
 *   renderer/   UI: never Node built-ins, core/, electron, electron/
 *   tests/      anything; nothing else may import tests/
 *
 * Type-only imports count too (tsPreCompilationDeps), so `import type` cannot tunnel through a
 * boundary. Module-name rules match both the resolved path (node_modules/<pkg>/...) and the bare
 * name (used when the package is not installed, e.g. electron with ELECTRON_SKIP_BINARY_DOWNLOAD).
 */

/**
 * regexes matching a package by name: installed (node_modules/<name>/...) or not installed (the
 * bare specifier "<name>" or "<name>/sub", which has no file extension, unlike local files such
 * as electron/main.ts)
 */
function pkg(names) {
  return [`^(${names})$`, `^(${names})/[^.]+$`, `(^|/)node_modules/(${names})/`];
}

const ELECTRON_PACKAGE = pkg('electron');
/** React and anything that needs a DOM */
const UI_PACKAGES = pkg(
  [
    'react',
    'react-dom',
    'react-[^/]+',
    '@react-[^/]+/[^/]+',
    '@types/react',
    '@types/react-dom',
    'scheduler',
    'zustand',
    'jsdom',
    'happy-dom',
    '@testing-library/[^/]+',
  ].join('|'),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- core/ -------------------------------------------------------------------------------
    {
      name: 'core-not-to-electron',
      comment: 'core/ is platform-neutral Node code: it may not import the electron package (SPEC §1).',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: ELECTRON_PACKAGE },
    },
    {
      name: 'core-not-to-electron-shell',
      comment: 'core/ may not import the Electron shell (electron/); the shell boots core, not the other way round.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^electron/' },
    },
    {
      name: 'core-not-to-renderer',
      comment: 'core/ may not import the UI (renderer/).',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'core-not-to-ui-packages',
      comment: 'core/ may not import React or DOM packages.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: UI_PACKAGES },
    },
    // ---- renderer/ ---------------------------------------------------------------------------
    {
      name: 'renderer-not-to-node-builtins',
      comment: 'renderer/ runs in a browser: no Node built-ins (fs, path, crypto, node:*, ...); it talks to the API client instead.',
      severity: 'error',
      // the build config (vite.config.*) runs in Node at build time, not in the browser
      from: { path: '^renderer/', pathNot: '^renderer/vite\\.config\\.' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-to-core',
      comment: 'renderer/ may not import core/; it reaches core only through the API client (contracts/ types are fine).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^core/' },
    },
    {
      name: 'renderer-not-to-electron',
      comment: 'renderer/ may not import the electron package; it sees only window.memoryos from the preload.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: ELECTRON_PACKAGE },
    },
    {
      name: 'renderer-not-to-electron-shell',
      comment: 'renderer/ may not import the Electron shell (electron/).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    // ---- electron/ ---------------------------------------------------------------------------
    {
      name: 'electron-only-core-entry',
      comment: 'electron/ may import core/ only through its public entry core/index.ts, never deeper paths.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^core/', pathNot: '^core/index\\.(ts|js|mjs|cjs)$' },
    },
    {
      name: 'electron-not-to-renderer',
      comment: 'electron/ is a thin shell (SPEC §1: it imports core/ public entry and electron); it may not import renderer/ code.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^renderer/' },
    },
    // ---- contracts/ --------------------------------------------------------------------------
    {
      name: 'contracts-self-contained',
      comment: 'contracts/ is data plus generated types: it imports nothing outside contracts/ (no packages, no built-ins).',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { pathNot: '^contracts/' },
    },
    // ---- tests/ ------------------------------------------------------------------------------
    {
      name: 'not-to-tests',
      comment: 'Production code may not import test code.',
      severity: 'error',
      from: { path: '^(core|electron|renderer|contracts)/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // anchored: installed packages must stay in the graph (doNotFollow) or package rules cannot fire
    exclude: { path: '^(dist|renderer/dist|coverage|test-results|playwright-report)/' },
    tsPreCompilationDeps: true,
    // No tsConfig on purpose: nothing uses path aliases, and pointing at tsconfig.json makes
    // depcruise fail on a tree where its "include" matches no file. If aliases are ever added,
    // set tsConfig here or imports through them will go unresolved (and unchecked).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      mainFields: ['types', 'typings', 'module', 'main'],
      extensions: ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
