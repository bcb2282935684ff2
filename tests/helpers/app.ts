import { openApp, type App, type AppOptions } from '../../core/app/app';
import { bindInternals, internals, type AppInternals } from '../../core/app/internals';
import type { Clock } from '../../core/shared/time';
import type { SyncNode } from '../../core/sync/node';
import { tempDir } from './tmp';

export const PASS = 'correct horse battery staple';

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(public t = Date.parse('2026-11-25T10:00:00.000Z')) {}
  now(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
}

/** An app as tests hold it: the App surface plus what tests may look inside (internals). */
export type TestAppHandle = App & Pick<AppInternals, 'ctx' | 'router' | 'tick'> & { readonly sync: SyncNode | null };

function handle(app: App): TestAppHandle {
  const i = internals(app);
  const h = Object.assign(Object.create(null), app, { ctx: i.ctx, router: i.router, tick: i.tick });
  Object.defineProperty(h, 'sync', { get: () => i.sync() });
  bindInternals(h, i);
  return h as TestAppHandle;
}

/** The real core on a real SQLite file in a temp dir, called through the real router. */
export async function openTestApp(opts: { clock?: TestClock; create?: boolean; sync?: AppOptions['sync'] } = {}): Promise<{ app: TestAppHandle; dir: string; c: (m: string, p?: unknown, as?: string) => Promise<any>; close(): Promise<void> }> {
  const { dir, cleanup } = tempDir();
  const app = handle(await openApp({ dataDir: dir, clock: opts.clock, sync: opts.sync ?? null }));
  const c = (m: string, p: unknown = {}, as?: string) => app.call(m, p, { actor: as });
  if (opts.create !== false) await c('vault.create', { passphrase: PASS, name: 'Ana' });
  return { app, dir, c, close: async () => { await app.close(); cleanup(); } };
}

export async function reopen(dir: string, clock?: TestClock): Promise<TestAppHandle> {
  return handle(await openApp({ dataDir: dir, clock }));
}
