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
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
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

function startElectron(bin, args) {
  if (isStale(join(ROOT, 'dist', 'electron', 'main.js'), ['electron', 'core', 'tsconfig.electron.json'].map((p) => join(ROOT, p)))) run('electron shell', ...tsc('tsconfig.electron.json'));
  process.stderr.write('opening MemoryOS in Electron…\n');
  const child = spawn(bin, [ROOT], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MEMORYOS_DATA_DIR: args.dataDir } });
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
module.exports = { electronUnavailableReason, parseArgs, isStale, newestMtime };
