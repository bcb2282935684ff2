import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface HostProcess {
  dataDir: string;
  port: number;
  token: string;
  pid: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** the address `npm start` prints: token in the fragment */
  loginUrl: string;
  /** calls the API over HTTP with the bearer token, as the CLI's host client does */
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * A real `memoryos serve` process on a fresh data directory, port 0 (the kernel picks). Port and
 * token come from host.lock, the way any client of the data directory finds them.
 */
export async function startHostProcess(opts: { env?: Record<string, string>; dataDir?: string } = {}): Promise<HostProcess> {
  // a given data directory is kept afterwards (the perf script reuses a prepared vault)
  const keep = !!opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'memoryos-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'memoryos.js'), '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // a fast scheduler tick so short undo windows commit promptly in tests
    env: { ...process.env, MEMORYOS_TICK_MS: '200', MEMORYOS_PASSPHRASE: '', ...opts.env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const started = new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`host did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl >= 0) { clearTimeout(timer); res(out.slice(0, nl)); }
    });
    child.on('exit', (code) => { clearTimeout(timer); rej(new Error(`host exited ${code}: ${stderr}`)); });
  });
  let lock: { port: number; token: string; pid: number };
  try {
    const info = JSON.parse(await started) as { port: number; pid: number };
    lock = JSON.parse(readFileSync(join(dataDir, 'host.lock'), 'utf8')) as typeof lock;
    if (lock.port !== info.port) throw new Error('host.lock and the serve line disagree on the port');
  } catch (e) {
    // a host that did not come up leaves nothing behind
    child.kill('SIGKILL');
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`host did not start: ${(e as Error).message}\n${stderr}`);
  }
  const origin = `http://127.0.0.1:${lock.port}`;
  return {
    dataDir, port: lock.port, token: lock.token, pid: lock.pid, origin,
    loginUrl: `${origin}/#token=${lock.token}`,
    async call<T>(method: string, params: unknown = {}): Promise<T> {
      const r = await fetch(`${origin}/api/call`, {
        method: 'POST', headers: { authorization: `Bearer ${lock.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ method, params }),
      });
      const body = (await r.json()) as { result?: T; error?: { code: string; message: string } };
      if (!r.ok || body.error) throw new Error(`${method}: ${body.error?.code} ${body.error?.message}`);
      return body.result as T;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
