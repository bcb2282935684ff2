import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './core-dist';
import type { BenchSize } from './options';

/**
 * One side of the comparison (MemoryOS or the raw baseline), living in its own process so that
 * its RSS is its own. run.ts drives both sides step by step and alternates them, so a burst of
 * load from other work on the machine hits both sides alike instead of skewing one of them.
 * Every method times only its own work; the IPC round trip is outside the timed region.
 */
export interface Side {
  setup(): Promise<void>;
  /** imports corpus memories [start, start + count) in one call / transaction; returns ms */
  importBatch(start: number, count: number): Promise<number>;
  /** creates the j-th extra memory on its own; returns ms */
  create(j: number): Promise<number>;
  /** `top`: the corpus positions of the hits, in order (for the top-20 comparison) */
  search(query: string): Promise<{ ms: number; hits: number; top: number[] }>;
  /** resident set size, after a GC */
  rss(): Promise<number>;
  /** close everything, open again, unlock, answer `query`: the "unlock to searchable" path */
  reopen(query: string): Promise<{ total_ms: number; parts: Record<string, number> }>;
  /** after all timing: whatever else the side reports (MemoryOS: CPU profiles and pieces) */
  extras(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export type SideKind = 'ours' | 'baseline';
export interface SideArgs extends BenchSize { kind: SideKind; dir: string }

type Op = keyof Side;
interface Request { id: number; op: Op; args: unknown[] }
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface SideClient {
  call<K extends Op>(op: K, ...args: Parameters<Side[K]>): Promise<Awaited<ReturnType<Side[K]>>>;
  stop(): Promise<void>;
}

/** Forks side-child.ts (tsx for the bench's TypeScript, --expose-gc for steadier RSS). */
export function startSide(args: SideArgs): SideClient {
  const child: ChildProcess = fork(join(__dirname, 'side-child.ts'), [JSON.stringify(args)], {
    cwd: ROOT, execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value); else p?.reject(new Error(`${args.kind}: ${m.error}`));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`${args.kind} side exited with code ${code}`));
    pending.clear();
  });
  return {
    call: (op, ...a) => new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args: a } satisfies Request);
    }),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.disconnect(); // the child exits when its IPC channel closes
    }),
  };
}
