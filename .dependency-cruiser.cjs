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

// the rooms of core/ (SPEC §1; docs/ARCHITECTURE.md draws them)
const SHARED = 'shared|crypto|observability|schemas|registry|crdt';
const DOMAIN = 'vault|members|spaces|memories|search|undo|settings|privacy|audit|import|importer|attachments|jobs';
const UPPER = 'sync|transports|api|app|host|cli|worker';
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
    // ---- inside core/: the rooms and which way their arrows run (docs/ARCHITECTURE.md) -----------
    {
      name: 'core-no-circular',
      comment: 'No import cycles inside core/, type-only imports included: a cycle means two rooms that cannot be understood (or moved) apart. Break it with an interface (a port) on the lower side.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^core/', circular: true },
    },
    {
      name: 'core-shared-pieces-stateless',
      comment: 'Shared pieces (shared, crypto, observability, schemas, registry, crdt) hold no state and know no layer above them: contracts/ and each other only.',
      severity: 'error',
      from: { path: `^core/(${SHARED})/` },
      to: { path: '^core/', pathNot: `^core/(${SHARED})/` },
    },
    {
      name: 'core-store-below-everything',
      comment: 'store/ (database, migrations, unit of work, one repository per table) knows only the shared pieces: what it needs from above it names as an interface of its own (store/sync-log.ts LogContext).',
      severity: 'error',
      from: { path: '^core/store/' },
      to: { path: '^core/', pathNot: `^core/(store|${SHARED})/` },
    },
    {
      name: 'core-policy-pure',
      comment: 'policy/ (the one authorize seam, bands, roles, redaction) decides from the facts it is given: shared pieces and store only.',
      severity: 'error',
      from: { path: '^core/policy/' },
      to: { path: '^core/', pathNot: `^core/(policy|store|${SHARED})/` },
    },
    {
      name: 'core-events-below-domain',
      comment: 'events/ (envelope, emit, bus, audit chain) sits under the domain: shared pieces, store and policy only.',
      severity: 'error',
      from: { path: '^core/events/' },
      to: { path: '^core/', pathNot: `^core/(events|policy|store|${SHARED})/` },
    },
    {
      name: 'core-context-below-domain',
      comment: 'context/ (the open vault every domain operation runs in) knows the layers below the domain, nothing of it.',
      severity: 'error',
      from: { path: '^core/context/' },
      to: { path: '^core/', pathNot: `^core/(context|events|policy|store|${SHARED})/` },
    },
    {
      name: 'core-domain-not-to-upper-layers',
      comment: 'The domain (vault, members, spaces, memories, search, undo, settings, privacy) never imports sync/, transports/, api/, app/ or a door: what it needs from them comes through a port (context/ctx.ts CoreHooks) that app/ fills.',
      severity: 'error',
      from: { path: `^core/(${DOMAIN})/` },
      to: { path: `^core/(${UPPER})/` },
    },
    {
      name: 'core-sync-is-protocol',
      comment: 'sync/ is the protocol (frames, sessions, node, pairing, receive and its checks): it uses the domain but never the API, the composition root, the doors or a concrete transport.',
      severity: 'error',
      from: { path: '^core/sync/' },
      to: { path: '^core/(transports|api|app|host|cli|worker)/' },
    },
    {
      name: 'core-transports-through-ports',
      comment: 'transports/ carry Noise streams for the sync node and see it only through sync/ports.ts (and the Session they hand streams to).',
      severity: 'error',
      from: { path: '^core/transports/' },
      to: { path: '^core/', pathNot: `^core/(transports|sync/ports\\.ts|sync/session\\.ts|${SHARED})` },
    },
    {
      name: 'core-api-not-to-composition',
      comment: 'api/ (catalog, router, handlers named for their namespaces) reaches sync only through its SyncPort, and knows nothing of the composition root or the doors.',
      severity: 'error',
      from: { path: '^core/api/' },
      to: { path: '^core/(sync|transports|app|host|cli|worker)/' },
    },
    {
      name: 'core-doors-through-app',
      comment: 'The doors (host, cli, worker) assemble the app through app/ (openApp, appOptionsFrom) and call it: they never reach into the domain, the store, the policy or sync themselves.',
      severity: 'error',
      from: { path: '^core/(host|cli|worker)/' },
      to: { path: `^core/(store|policy|events/(?!topics\\.ts)|context|sync|transports|${DOMAIN})`, pathNot: '^core/api/catalog\\.ts$' },
    },
    {
      name: 'core-internals-for-tests-only',
      comment: 'app/internals.ts (the ctx, router and sync node of an open app) is for tests and the benchmark; no production module may import it except app/app.ts, which fills it.',
      severity: 'error',
      from: { path: '^(core|electron)/', pathNot: '^core/app/app\\.ts$' },
      to: { path: '^core/app/internals\\.ts$' },
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
