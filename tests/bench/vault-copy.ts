import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core } from './core-dist';
import { BENCH_PASSPHRASE } from './options';

type App = Awaited<ReturnType<ReturnType<typeof core.app>['openApp']>>;
type Db = ReturnType<ReturnType<typeof core.internals>['internals']>['ctx']['db'];

/**
 * A probe's scratch copy of a kept vault (search-probe.ts make): copied, opened from dist/,
 * unlocked; `work` gets the app, its first space and its connection. The copy is removed after,
 * so probes that write (creates, merges, option changes) leave the kept vault as it was.
 */
export async function withVaultCopy(src: string, name: string, opts: { scheduler?: { intervalMs: number } }, work: (app: App, space: string, db: Db) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `memoryos-${name}-`));
  cpSync(join(src, 'vault'), dir, { recursive: true });
  try {
    const app = await core.app().openApp({ dataDir: dir, ...opts });
    await app.call('vault.unlock', { passphrase: BENCH_PASSPHRASE });
    const space = ((await app.call('space.list', {})) as { spaces: { space_id: string }[] }).spaces[0]!.space_id;
    try { await work(app, space, core.internals().internals(app).ctx.db); } finally { await app.close(); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
