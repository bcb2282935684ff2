import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'memoryos.js');
export const PASSPHRASE = 'correct horse battery staple';

export interface CliResult { code: number; json: any; stdout: string; stderr: string }

/** Runs the real CLI (the compiled core, as a user would) and parses its JSON answer. */
export function cli(dataDir: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], {
    encoding: 'utf8', env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE, ...env }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024,
  });
  let json: any = null;
  try { json = JSON.parse(r.stdout); } catch { /* leave null: the test will say what came out */ }
  return { code: r.status ?? -1, json, stdout: r.stdout, stderr: r.stderr };
}

/** `memoryos call`; throws with the CLI's output when the call fails unexpectedly. */
export function call(dataDir: string, method: string, params: unknown = {}, opts: { as?: string } = {}): any {
  const r = cli(dataDir, ['call', ...(opts.as ? ['--as', opts.as] : []), method, JSON.stringify(params)]);
  if (r.code !== 0 || r.json === null) throw new Error(`${method} failed (exit ${r.code}): ${r.stdout.slice(0, 2000)} ${r.stderr.slice(0, 2000)}`);
  return r.json;
}

/** `memoryos call` expected to fail: returns the structured error and the exit code. */
export function callError(dataDir: string, method: string, params: unknown, opts: { as?: string; raw?: boolean } = {}): { code: number; error: any } {
  let arg = opts.raw ? String(params) : JSON.stringify(params);
  if (arg.length > 100_000) {
    // argv holds at most 128 KiB per argument: big params go through a file, as a user would pass them
    const file = join(dataDir, `params-${process.pid}-${Date.now()}.json`);
    writeFileSync(file, arg);
    arg = '@' + file;
  }
  const r = cli(dataDir, ['call', ...(opts.as ? ['--as', opts.as] : []), method, arg]);
  return { code: r.code, error: r.json?.error };
}

export interface ServeHandle { proc: ChildProcess; port: number; token: string; stop(signal?: NodeJS.Signals): Promise<void> }

/** Starts `memoryos serve` as a real process and waits for its host.lock (nodeArgs: e.g. --cpu-prof). */
export async function serve(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServeHandle> {
  const proc = spawn(process.execPath, [...nodeArgs, BIN, '--data-dir', dataDir, 'serve', '--port', '0'], {
    env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { out += d; });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (out.includes('"listening"') && existsSync(join(dataDir, 'host.lock'))) {
      const lock = JSON.parse(readFileSync(join(dataDir, 'host.lock'), 'utf8'));
      return {
        proc, port: lock.port, token: lock.token,
        stop: (signal: NodeJS.Signals = 'SIGTERM') => new Promise((res) => {
          if (proc.exitCode !== null || proc.signalCode !== null) { res(); return; }
          proc.once('exit', () => res());
          proc.kill(signal);
        }),
      };
    }
    if (proc.exitCode !== null) throw new Error('serve exited: ' + out);
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error('serve did not start: ' + out);
}

/** One POST /api/call to a running host, as the renderer or the CLI makes it. */
export function hostPost(port: number, token: string, body: unknown): Promise<{ status: number; json: any }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/call', method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => { try { resolve({ status: res.statusCode!, json: JSON.parse(text) }); } catch (e) { reject(e); } });
    });
    req.on('error', reject);
    req.end(data);
  });
}
