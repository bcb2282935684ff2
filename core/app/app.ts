import { accessSync, constants } from 'node:fs';
import { initCrypto } from '../crypto/sodium';
import { openDatabase } from '../store/database';
import { UnitOfWork } from '../store/unit-of-work';
import { EventBus } from '../events/bus';
import { createLogger } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { Registry } from '../registry/registry';
import { Router } from '../api/router';
import { vaultHandlers } from '../api/handlers/vault';
import { spaceHandlers } from '../api/handlers/spaces';
import { memoryHandlers } from '../api/handlers/memories';
import { governanceHandlers } from '../api/handlers/governance';
import { systemHandlers } from '../api/handlers/system';
import { syncHandlers } from '../api/handlers/sync';
import { stopSync } from '../sync/start';
import { apiCatalog } from '../api/catalog';
import { policyDocument } from '../policy/policy-document';
import { topicCatalog } from '../events/topic-catalog';
import { buildSearchIndex } from '../search/search';
import { commitDue } from '../undo/undo';
import { registerUndoExecutors } from '../undo/executors';
import { expireWorkingMemories } from '../memories/lifecycle';
import { lockVault } from '../vault/vault';
import { getSettings } from '../settings/settings';
import { systemClock, type Clock } from '../shared/time';
import type { Ctx } from './context';

export interface AppOptions {
  dataDir: string;
  clock?: Clock;
  /** run the scheduler (undo commits, expiry, auto-lock): the host does, one-shot CLI calls do not */
  scheduler?: boolean;
  schedulerIntervalMs?: number;
  platform?: string;
}

export interface App {
  ctx: Ctx;
  registry: Registry;
  router: Router;
  /** scheduler work, callable directly (tests, one-shot CLI) */
  tick(): void;
  close(): Promise<void>;
}

/** Opens one data directory: registers every component, boots them in dependency order. */
export async function openApp(opts: AppOptions): Promise<App> {
  await initCrypto();
  const db = openDatabase(opts.dataDir);
  const log = createLogger(opts.dataDir);
  const metrics = new Metrics();
  const seqCache = new Map<string, number>();
  const clock = opts.clock ?? systemClock;
  const bus = new EventBus((err, topic) => {
    metrics.inc('memoryos_subscriber_failures_total', { topic });
    log.warn('subscriber failed', { topic, error: (err as Error)?.name ?? 'Error' });
  });
  const ctx: Ctx = {
    dataDir: opts.dataDir, db, uow: new UnitOfWork(db, () => seqCache.clear()), bus, log, metrics, clock,
    platform: opts.platform ?? process.platform, keyring: null, search: null, seqCache, lastActivity: clock.now(),
  };
  registerUndoExecutors();

  const tick = () => {
    if (!ctx.keyring) return;
    // due work first: an idle vault still commits what its undo windows promised
    commitDue(ctx);
    expireWorkingMemories(ctx);
    const minutes = getSettings(ctx).auto_lock_minutes;
    if (minutes > 0 && ctx.clock.now() - ctx.lastActivity > minutes * 60_000) {
      lockVault(ctx);
    }
  };
  const afterUnlock = (c: Ctx) => {
    const t0 = performance.now();
    const n = buildSearchIndex(c);
    metrics.observe('memoryos_unlock_index_seconds', (performance.now() - t0) / 1000);
    log.info('search index built', { memories: n, ms: Math.round(performance.now() - t0) });
    commitDue(c); // overdue actions commit on boot, once
    expireWorkingMemories(c);
  };

  const registry = new Registry();
  let router!: Router;
  let timer: NodeJS.Timeout | undefined;
  registry.register({ id: 'crypto', layer: 0, dependencies: [], start: initCrypto, health: () => ({ status: 'ok', detail: 'libsodium sumo' }) });
  registry.register({
    id: 'store', layer: 0, dependencies: [], stop: () => { db.close(); },
    health: () => {
      const r = db.pragma('quick_check', { simple: true });
      return r === 'ok' ? { status: 'ok', detail: `schema v${db.pragma('user_version', { simple: true })}` } : { status: 'down', detail: String(r) };
    },
  });
  registry.register({
    id: 'filesystem', layer: 0, dependencies: [],
    health: () => { accessSync(opts.dataDir, constants.W_OK); return { status: 'ok' }; },
  });
  registry.register({ id: 'observability', layer: 1, dependencies: ['filesystem'], health: () => ({ status: 'ok' }) });
  registry.register({ id: 'policy', layer: 1, dependencies: [], start: () => { policyDocument(); }, health: () => ({ status: 'ok', detail: `policy ${policyDocument().policy_version}` }) });
  registry.register({ id: 'vault', layer: 1, dependencies: ['crypto', 'store'], health: () => ({ status: 'ok', detail: ctx.keyring ? 'unlocked' : 'locked' }) });
  registry.register({
    id: 'events', layer: 1, dependencies: ['store', 'crypto'], start: () => { topicCatalog(); },
    health: () => ({ status: bus.failures ? 'degraded' : 'ok', detail: `${bus.delivered} delivered, ${bus.failures} subscriber failures` }),
  });
  registry.register({ id: 'audit', layer: 1, dependencies: ['events'], health: () => ({ status: 'ok' }) });
  registry.register({ id: 'spaces', layer: 1, dependencies: ['vault', 'events', 'policy'], health: () => ({ status: 'ok' }) });
  registry.register({ id: 'memories', layer: 1, dependencies: ['spaces', 'vault', 'events', 'policy'], health: () => ({ status: 'ok' }) });
  registry.register({
    id: 'search', layer: 1, dependencies: ['memories'],
    health: () => (ctx.keyring && !ctx.search ? { status: 'degraded', detail: 'index not built' } : { status: 'ok', detail: ctx.search ? `${ctx.search.size} indexed` : 'locked' }),
  });
  registry.register({ id: 'undo', layer: 1, dependencies: ['memories', 'events'], health: () => ({ status: 'ok' }) });
  registry.register({
    id: 'api', layer: 2, dependencies: ['vault', 'spaces', 'memories', 'search', 'undo', 'audit', 'observability'],
    start: () => {
      apiCatalog();
      router = new Router(ctx, {
        ...vaultHandlers(afterUnlock), ...spaceHandlers, ...memoryHandlers, ...governanceHandlers, ...syncHandlers,
        ...systemHandlers(registry, () => router.methods()),
      });
    },
    health: () => ({ status: 'ok', detail: `${apiCatalog().size} methods` }),
  });
  registry.register({
    id: 'sync', layer: 2, dependencies: ['vault', 'spaces', 'memories', 'search'],
    health: () => ({ status: 'ok', detail: ctx.sync ? `${ctx.sync.sessions.size} session(s)${ctx.sync.direct ? `, port ${ctx.sync.direct.port}` : ''}${ctx.sync.swarm ? ', hyperswarm' : ''}` : 'not running' }),
  });
  registry.register({
    id: 'scheduler', layer: 2, dependencies: ['undo', 'memories', 'vault'],
    start: () => {
      if (opts.scheduler) {
        timer = setInterval(() => { try { tick(); } catch (e) { log.error('scheduler tick failed', { error: (e as Error).name }); } }, opts.schedulerIntervalMs ?? 1000);
        timer.unref();
      }
    },
    stop: () => { if (timer) clearInterval(timer); },
    health: () => ({ status: 'ok', detail: opts.scheduler ? 'running' : 'on demand' }),
  });
  metrics.gauge('memoryos_process_resident_bytes', () => process.memoryUsage().rss, 'resident set size');
  metrics.gauge('memoryos_vault_unlocked', () => (ctx.keyring ? 1 : 0));
  metrics.gauge('memoryos_search_indexed', () => ctx.search?.size ?? 0);

  try {
    await registry.boot();
  } catch (e) {
    try { db.close(); } catch { /* already failing loudly */ }
    throw e;
  }
  return {
    ctx, registry, router, tick,
    close: async () => {
      await stopSync(ctx);
      if (ctx.keyring) { ctx.keyring.wipe(); ctx.keyring = null; }
      ctx.search?.close();
      ctx.search = null;
      await registry.stop();
    },
  };
}
