#!/usr/bin/env node
'use strict';
/**
 * `npm start`: builds what is out of date, then opens the app in Electron when its binary is
 * installed; otherwise runs the local host (127.0.0.1 only) serving the built renderer and prints
 * the address to open, with the login token in the URL fragment (never sent to a server, never
 * logged), and says why it is not Electron.
 *
 *   npm start [-- --data-dir DIR] [--port N] [--browser]
 *
 * Before it opens Electron it makes sure there is a better-sqlite3-multiple-ciphers built for Electron's ABI:
 * npm compiled node_modules/better-sqlite3-multiple-ciphers for Node's, which the CLI and the tests need, so the
 * Electron build goes to a directory of its own (node_modules/.cache/memoryos-electron/, once per
 * Electron and better-sqlite3-multiple-ciphers version, with @electron/rebuild) and its .node file is handed to the
 * app in MEMORYOS_SQLITE_BINDING (for better-sqlite3-multiple-ciphers's `nativeBinding` option).
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
const { spawn, spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');

/** newest modification time (ms) of any file under the given paths; 0 when none exist */
function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') walk(join(p, name));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  paths.forEach(walk);
  return newest;
}

/** true when output is missing or older than any input */
function isStale(output, inputs) {
  return !existsSync(output) || statSync(output).mtimeMs < newestMtime(inputs);
}

/**
 * Why Electron cannot be used here, or null when it can. `loadElectron` returns what
 * require('electron') does: the binary's path, or it throws when the binary was never downloaded.
 */
function electronUnavailableReason({ env = process.env, platform = process.platform, argv = [], loadElectron } = {}) {
  if (argv.includes('--browser') || env.MEMORYOS_BROWSER === '1') return 'you asked for the browser (--browser)';
  let bin;
  try {
    bin = loadElectron();
  } catch (e) {
    const missing = e && e.code === 'MODULE_NOT_FOUND';
    return missing
      ? 'the electron package is not installed (npm drops it when its binary cannot be downloaded)'
      : "Electron's binary was not downloaded on this machine (install with network access, without ELECTRON_SKIP_BINARY_DOWNLOAD)";
  }
  if (typeof bin !== 'string' || !existsSync(bin)) return "Electron's binary is missing from node_modules/electron/dist";
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display to open a window on ($DISPLAY and $WAYLAND_DISPLAY are unset)';
  return null;
}

function parseArgs(argv, env = process.env) {
  const out = { dataDir: env.MEMORYOS_DATA_DIR || join(homedir(), '.memoryos'), port: Number(env.PORT) || 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data-dir') out.dataDir = argv[++i];
    else if (a.startsWith('--data-dir=')) out.dataDir = a.slice(11);
    else if (a === '--port') out.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) out.port = Number(a.slice(7));
  }
  out.dataDir = resolve(out.dataDir);
  return out;
}

function run(label, cmd, args) {
  process.stderr.write(`building ${label}…\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`${label} build failed (exit ${r.status})\n`);
    process.exit(r.status || 1);
  }
}

const tsc = (project) => [process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]];

function buildCore() {
  if (isStale(join(ROOT, 'dist', 'core', 'cli', 'main.js'), ['core', 'contracts', 'tsconfig.json'].map((p) => join(ROOT, p)))) run('core', ...tsc('tsconfig.json'));
}

function buildRenderer() {
  const inputs = ['renderer/src', 'renderer/index.html', 'vite.renderer.config.mts', 'contracts/types', 'contracts/policy'].map((p) => join(ROOT, p));
  if (isStale(join(ROOT, 'renderer', 'dist', 'index.html'), inputs)) {
    run('renderer', process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.mts', '--logLevel', 'warn']);
  }
}

/** where the Electron build of better-sqlite3-multiple-ciphers lives: one directory per Electron version, better-sqlite3-multiple-ciphers version, platform and arch */
function electronSqliteCache({ root, electronVersion, sqliteVersion, platform = process.platform, arch = process.arch }) {
  const dir = join(root, 'node_modules', '.cache', 'memoryos-electron', `electron-${electronVersion}-${platform}-${arch}`, `better-sqlite3-multiple-ciphers-${sqliteVersion}`);
  return { dir, binding: join(dir, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node') };
}

/**
 * What to do about better-sqlite3-multiple-ciphers before Electron starts: use a binding named in
 * MEMORYOS_SQLITE_BINDING as it is, use the cached Electron build, or build it (`exists` is
 * fs.existsSync, injectable for tests).
 */
function electronSqlitePlan({ env = process.env, root, electronVersion, sqliteVersion, platform = process.platform, arch = process.arch, exists = existsSync }) {
  if (env.MEMORYOS_SQLITE_BINDING) return { action: 'use', binding: env.MEMORYOS_SQLITE_BINDING, why: 'MEMORYOS_SQLITE_BINDING is set' };
  if (!electronVersion) return { action: 'fail', why: "electron's version is unknown (node_modules/electron/package.json unreadable)" };
  if (!sqliteVersion) return { action: 'fail', why: 'better-sqlite3-multiple-ciphers is not installed (run npm install)' };
  const { dir, binding } = electronSqliteCache({ root, electronVersion, sqliteVersion, platform, arch });
  if (exists(binding)) return { action: 'use', binding, why: `built earlier for Electron ${electronVersion}` };
  return { action: 'build', dir, binding, why: `no build of better-sqlite3-multiple-ciphers ${sqliteVersion} for Electron ${electronVersion} yet` };
}

/**
 * The environment for node-gyp under @electron/rebuild. node-gyp lets every npm_config_* variable
 * override its command line, and `npm start` exports npm's config: with nodedir=/usr (as on some
 * machines) it would compile against Node's headers while claiming Electron's target, which gives
 * a module Electron refuses. Drop npm's config except what reaching the network needs.
 */
function rebuildEnv(env = process.env) {
  const keep = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'no_proxy', 'cafile', 'strict_ssl', 'loglevel']);
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^npm_config_(.*)$/i.exec(k);
    if (m && !keep.has(m[1].toLowerCase().replace(/-/g, '_'))) continue;
    out[k] = v;
  }
  return out;
}

/**
 * The child process that runs @electron/rebuild on the copy in buildDir. projectRootPath is
 * buildDir on purpose: left to itself, @electron/rebuild looks for the project root by lock file,
 * finds this repository's, and would rebuild ./node_modules/better-sqlite3-multiple-ciphers in place too.
 */
function rebuildInvocation({ root, buildDir, electronVersion, arch = process.arch, env = process.env, headerURL }) {
  const options = { buildPath: buildDir, projectRootPath: buildDir, electronVersion, arch, onlyModules: ['better-sqlite3-multiple-ciphers'], force: true, mode: 'sequential', ...(headerURL ? { headerURL } : {}) };
  const script = [
    'const [modulePath, json] = process.argv.slice(1);',
    'require(modulePath).rebuild(JSON.parse(json)).then(() => process.exit(0), (e) => { console.error(e && e.message ? e.message : e); process.exit(1); });',
  ].join('\n');
  return {
    command: process.execPath,
    args: ['-e', script, join(root, 'node_modules', '@electron', 'rebuild'), JSON.stringify(options)],
    options: { cwd: buildDir, env: rebuildEnv(env), stdio: 'inherit' },
  };
}

/** the environment Electron starts with */
function electronEnv(env, { dataDir, sqliteBinding }) {
  return { ...env, MEMORYOS_DATA_DIR: dataDir, MEMORYOS_SQLITE_BINDING: sqliteBinding };
}

const readVersion = (pkgJson) => {
  try { return JSON.parse(readFileSync(pkgJson, 'utf8')).version || null; } catch { return null; }
};

/** builds better-sqlite3-multiple-ciphers for Electron into plan.dir (via a scratch directory, so a failed build leaves nothing behind) */
function buildElectronSqlite(plan, { electronVersion, sqliteVersion, headerURL } = {}) {
  const scratch = `${plan.dir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, 'node_modules'), { recursive: true });
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'memoryos-electron-sqlite', private: true, dependencies: { 'better-sqlite3-multiple-ciphers': sqliteVersion } }, null, 2));
  const source = join(ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers');
  // the sources (deps/ holds SQLite itself) without Node's build
  cpSync(source, join(scratch, 'node_modules', 'better-sqlite3-multiple-ciphers'), { recursive: true, filter: (p) => p !== join(source, 'build') && p !== join(source, 'node_modules') });
  const { command, args, options } = rebuildInvocation({ root: ROOT, buildDir: scratch, electronVersion, headerURL });
  process.stderr.write(`building better-sqlite3-multiple-ciphers ${sqliteVersion} for Electron ${electronVersion} (once; needs Electron's headers from the network)…\n`);
  const r = spawnSync(command, args, options);
  const built = join(scratch, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
  if (r.status !== 0 || !existsSync(built)) {
    rmSync(scratch, { recursive: true, force: true });
    return { ok: false, why: `@electron/rebuild failed (exit ${r.status ?? r.signal ?? r.error?.message})` };
  }
  rmSync(plan.dir, { recursive: true, force: true });
  renameSync(scratch, plan.dir);
  return { ok: true };
}

/** better-sqlite3-multiple-ciphers for Electron's ABI: the .node file's path, or why there is none */
function ensureElectronSqlite() {
  const electronVersion = readVersion(join(ROOT, 'node_modules', 'electron', 'package.json'));
  const sqliteVersion = readVersion(join(ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers', 'package.json'));
  const plan = electronSqlitePlan({ root: ROOT, electronVersion, sqliteVersion });
  if (plan.action === 'use') return { binding: plan.binding };
  if (plan.action === 'fail') return { error: plan.why };
  const r = buildElectronSqlite(plan, { electronVersion, sqliteVersion });
  return r.ok ? { binding: plan.binding } : { error: `better-sqlite3-multiple-ciphers could not be built for Electron ${electronVersion}: ${r.why}` };
}

function startElectron(bin, args) {
  if (isStale(join(ROOT, 'dist', 'electron', 'main.js'), ['electron', 'core', 'tsconfig.electron.json'].map((p) => join(ROOT, p)))) run('electron shell', ...tsc('tsconfig.electron.json'));
  const sqlite = ensureElectronSqlite();
  if (sqlite.error) {
    startBrowserHost(args, sqlite.error);
    return;
  }
  process.stderr.write('opening MemoryOS in Electron…\n');
  const child = spawn(bin, [ROOT], { cwd: ROOT, stdio: 'inherit', env: electronEnv(process.env, { dataDir: args.dataDir, sqliteBinding: sqlite.binding }) });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** the local host, locked until the person unlocks in the browser (stdin is not a TTY: no prompt) */
function startBrowserHost(args, reason) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'memoryos.js'), '--data-dir', args.dataDir, 'serve', '--port', String(args.port)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: process.env,
  });
  let buffered = '';
  const onData = (chunk) => {
    buffered += chunk;
    const nl = buffered.indexOf('\n');
    if (nl < 0) return;
    child.stdout.off('data', onData);
    let info;
    try { info = JSON.parse(buffered.slice(0, nl)); } catch { process.stderr.write(buffered); return; }
    const lock = JSON.parse(readFileSync(join(args.dataDir, 'host.lock'), 'utf8'));
    const url = `http://127.0.0.1:${info.port}/#token=${lock.token}`;
    process.stdout.write(
      `\nMemoryOS is running in your browser, not in Electron, because ${reason}.\n\n` +
      `  Open: ${url}\n\n` +
      `The #token part is your login for this run: it stays in the browser and is never sent in a request line or logged.\n` +
      `Only this computer can connect (127.0.0.1). Data: ${args.dataDir}\nPress Ctrl+C to stop.\n`,
    );
    child.stdout.pipe(process.stdout);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', onData);
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

function main() {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  buildCore();
  buildRenderer();
  let bin = null;
  const reason = electronUnavailableReason({ argv, loadElectron: () => (bin = require('electron')) });
  if (reason === null) startElectron(bin, args);
  else startBrowserHost(args, reason);
}

if (require.main === module) main();
module.exports = {
  electronUnavailableReason, parseArgs, isStale, newestMtime,
  electronSqliteCache, electronSqlitePlan, rebuildEnv, rebuildInvocation, electronEnv, buildElectronSqlite,
};
