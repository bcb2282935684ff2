import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { WebSocket } from 'ws';
import { join } from 'node:path';
import { cli, serve, type ServeHandle } from '../helpers/cli';
import { ROOT } from './core-dist';
import { progress } from './options';

/**
 * Two real hosts (`memoryos serve` from dist/, each with its own temp data dir) called over HTTP
 * like the renderer does, and the raw-Yjs peers of the baseline (yjs-baseline-peer.ts), for the
 * sync figures of spec §10.
 */

// loopback only; the hello interval and auto-reconnect are left at the host's defaults (what a user runs)
export const SYNC_ENV = { MEMORYOS_SYNC_HOST: '127.0.0.1' };
export const SPACE = 'personal:me';

export interface Host { name: string; dir: string; handle: ServeHandle; call(method: string, params?: unknown): Promise<any> }

/** Subscribes to one event topic over the host's WebSocket, as the renderer does; resolves once subscribed. */
export function subscribe(h: Host, topic: string, onEvent: (env: { topic: string; payload: any }) => void): Promise<{ close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.handle.port}/api/ws`, [`memoryos.bearer.${h.handle.token}`]);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, subscribe: topic })));
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown; event?: { topic: string; payload: any } };
      if (m.event) onEvent(m.event);
      else if (m.id === 1) { if (m.error) reject(new Error(`${h.name}: subscribe ${topic}: ${JSON.stringify(m.error)}`)); else resolve({ close: () => ws.close() }); }
    });
  });
}

export async function startHost(name: string): Promise<Host> {
  const dir = mkdtempSync(join(tmpdir(), `memoryos-bench-sync-${name}-`));
  const init = cli(dir, ['init', '--name', 'Bench']);
  if (init.code !== 0) throw new Error(`memoryos init failed: ${init.stdout} ${init.stderr}`);
  // MEMORYOS_BENCH_HOST_PROF_DIR=/dir: the hosts run under `node --cpu-prof` (an investigation aid, not for timed runs)
  const prof = process.env.MEMORYOS_BENCH_HOST_PROF_DIR;
  const handle = await serve(dir, SYNC_ENV, prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []);
  const url = `http://127.0.0.1:${handle.port}/api/call`;
  const headers = { Authorization: `Bearer ${handle.token}`, 'Content-Type': 'application/json' };
  const call = async (method: string, params: unknown = {}) => {
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ method, params }) });
    if (!res.ok) throw new Error(`${name}: ${method} → HTTP ${res.status}: ${(await res.text()).slice(0, 1000)}\nhost log:\n${logTail(dir)}`);
    return ((await res.json()) as { result: any }).result;
  };
  return { name, dir, handle, call };
}


export async function stopHost(h: Host): Promise<void> {
  await h.handle.stop('SIGTERM');
  rmSync(h.dir, { recursive: true, force: true });
}

function logTail(dir: string): string {
  try { return readFileSync(join(dir, 'logs', 'memoryos.log'), 'utf8').trim().split('\n').slice(-8).join('\n'); } catch { return '(no log)'; }
}

/** A host process's CPU time so far (user + system, /proc/<pid>/stat; Linux), or NaN where that cannot be read. */
export function hostCpuMs(h: Host): number {
  try {
    // the fields after the command name: state is field 3, utime 14 and stime 15 (clock ticks, 100 per second here)
    const f = readFileSync(`/proc/${h.handle.proc.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch { return NaN; }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy; throws after timeoutMs. */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A raw-Yjs peer process (tsx, like the bench's sides). */
export interface Peer { call(op: string, args?: Record<string, unknown>): Promise<any>; stop(): Promise<void> }

export function startPeer(): Peer {
  const child: ChildProcess = fork(join(__dirname, 'yjs-baseline-peer.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value); else p?.reject(new Error(`yjs peer: ${m.error}`));
  });
  child.on('exit', (code) => { for (const p of pending.values()) p.reject(new Error(`yjs peer exited with code ${code}`)); pending.clear(); });
  return {
    call: (op, args = {}) => new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, ...args });
    }),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.disconnect();
    }),
  };
}

export { progress };
