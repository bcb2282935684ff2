import { openApp, type App } from '../../core/app/app';
import type { Clock } from '../../core/shared/time';
import { tempDir } from './tmp';

export const PASS = 'correct horse battery staple';

/** A clock tests can move. */
export class TestClock implements Clock {
  constructor(public t = Date.parse('2026-11-25T10:00:00.000Z')) {}
  now(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
}

/** The real core on a real SQLite file in a temp dir, called through the real router. */
export async function openTestApp(opts: { clock?: TestClock; create?: boolean } = {}): Promise<{ app: App; dir: string; c: (m: string, p?: unknown, as?: string) => Promise<any>; close(): Promise<void> }> {
  const { dir, cleanup } = tempDir();
  const app = await openApp({ dataDir: dir, clock: opts.clock });
  const c = (m: string, p: unknown = {}, as?: string) => app.router.call(m, p, { actor: as });
  if (opts.create !== false) await c('vault.create', { passphrase: PASS, name: 'Ana' });
  return { app, dir, c, close: async () => { await app.close(); cleanup(); } };
}

export async function reopen(dir: string, clock?: TestClock): Promise<App> {
  return openApp({ dataDir: dir, clock });
}
