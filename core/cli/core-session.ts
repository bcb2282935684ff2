import { readLiveLock } from '../host/lock-file';
import { callHost } from '../host/client';
import { ApiError } from '../shared/errors';
import type { CliArgs } from './args';
import { readPassphrase } from './passphrase';

/** One API call as the CLI makes it: through the live host, or to the app opened in this process. */
export type CoreCall = (method: string, params: unknown) => Promise<unknown>;

// Methods that must run on a locked vault: the CLI does not unlock first for them.
const NO_AUTO_UNLOCK = new Set(['vault.create', 'vault.unlock', 'vault.status', 'vault.lock', 'system.methods']);

/**
 * Runs `fn` with calls that go through the live host when there is one, else to the app opened
 * in this process for as long as `fn` runs (so a job a call starts finishes before it closes).
 * `method` is the first call's method: it decides whether this process unlocks the vault first.
 */
export async function withCore<T>(args: CliArgs, method: string, fn: (call: CoreCall) => Promise<T>): Promise<T> {
  const lock = readLiveLock(args.dataDir);
  if (lock) {
    const viaHost: CoreCall = (m, p) => callHost(lock, m, p, args.as);
    try {
      // nothing listens on the lock's port: the host died (its pid lingers or was reused); run here
      await viaHost('vault.status', {});
      return await fn(viaHost);
    } catch (e) {
      if (!(e instanceof ApiError && (e.details as { refused?: boolean })?.refused)) throw e;
    }
  }
  // the core loads only when the call runs in this process: a call through the host stays light
  const { openApp } = await import('../app/app');
  const { appOptionsFrom } = await import('../app/options');
  const { apiCatalog } = await import('../api/catalog');
  const app = await openApp(appOptionsFrom(process.env, args.dataDir, 'one-shot'));
  try {
    const d = apiCatalog().get(method);
    const { exists } = (await app.call('vault.status', {})) as { exists: boolean };
    if (d && exists && !NO_AUTO_UNLOCK.has(method) && (d.requiresUnlock || process.env.MEMORYOS_PASSPHRASE)) {
      await app.call('vault.unlock', { passphrase: await readPassphrase() }, { door: 'cli' });
    }
    return await fn((m, p) => app.call(m, p, { actor: args.as, door: 'cli' }));
  } finally {
    await app.close();
  }
}
