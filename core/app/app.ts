import { accessSync, constants } from 'node:fs';
import type { Envelope } from '../../contracts/types';
import { initCrypto } from '../crypto/sodium';
import type { Ctx } from '../context/ctx';
import { ProblemLog } from '../context/problems';
import { Store } from '../store/store';
import { UnitOfWork } from '../store/unit-of-work';
import { checkpointBetweenCalls } from '../store/database';
import { forgetAllEpochKeys } from '../spaces/epoch-keys';
import { EventBus } from '../events/bus';
import { topicCatalog } from '../events/topic-catalog';
import type { TopicFilter } from '../events/topics';
import { createLogger } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { Registry } from '../registry/registry';
import { Router, type CallOptions } from '../api/router';
import { apiCatalog } from '../api/catalog';
import { vaultHandlers } from '../api/handlers/vault';
import { memberHandlers } from '../api/handlers/member';
import { deviceHandlers } from '../api/handlers/device';
import { spaceHandlers } from '../api/handlers/space';
import { memoryHandlers } from '../api/handlers/memory';
import { undoHandlers } from '../api/handlers/undo';
import { settingsHandlers } from '../api/handlers/settings';
import { eventsHandlers } from '../api/handlers/events';
import { auditHandlers } from '../api/handlers/audit';
import { syncHandlers } from '../api/handlers/sync';
import { systemHandlers } from '../api/handlers/system';
import { inviteHandlers } from '../api/handlers/invite';
import { jobHandlers } from '../api/handlers/job';
import { privacyHandlers } from '../api/handlers/privacy';
import { importHandlers } from '../api/handlers/import';
import { attachmentHandlers } from '../api/handlers/attachment';
import { trashHandlers } from '../api/handlers/trash';
import { sessionHandlers } from '../api/handlers/session';
import { eventVisibleToMember } from '../audit/visible-log';
import { purgeExpiredTrash } from '../privacy/trash';
import { cancelJob, failInterruptedJobs, jobSettled, runningJobs } from '../jobs/jobs';
import { policyDocument } from '../policy/policy-document';
import { openSearchIndex } from '../search/search';
import { SearchIndex } from '../store/search-index';
import { commitDue } from '../undo/undo';
import { expireWorkingMemories } from '../memories/lifecycle';
import { adoptLegacyHeader, lockVault } from '../vault/vault';
import { getSettings } from '../settings/settings';
import { systemClock } from '../shared/time';
import type { AppOptions } from './options';
import { registerUndoExecutors } from './undo-executors';
import { SyncRunner } from './sync-runner';
import { bindInternals } from './internals';

export type { AppOptions } from './options';

/** viewer(): the profile a session is bound to, asked at each event (null: unbound, every event) */
export interface SubscribeOptions { viewer?: () => string | null }

/** What a door sees of a running app: the same four things whichever door it is. */
export interface App {
  /** one API call through the router (validation, policy, the method, its contract) */
  call(method: string, params?: unknown, opts?: CallOptions): Promise<unknown>;
  /** events after their unit of work committed; returns the unsubscribe */
  subscribe(topic: TopicFilter, fn: (envelope: Envelope) => void, opts?: SubscribeOptions): () => void;
  status(): AppStatus;
  close(): Promise<void>;
}

export interface AppStatus { data_dir: string; unlocked: boolean; sync: { running: boolean; port: number | null; hyperswarm: boolean } }

/** what one tick (once a second) may spend on the index's merges: a call arriving meanwhile waits at most this and one step (a step can run past 64 pages: it ends at a term's boundary) */
const TICK_MERGE_BUDGET_MS = 20;
/** what closing an app with no scheduler (a one-shot CLI call) spends on them: its writes had no tick */
const CLOSE_MERGE_BUDGET_MS = 100;

/**
 * The one composition root: opens a data directory, registers every component, boots them in
 * dependency order, fills the domain's ports, and runs sync and the scheduler when the options
 * ask for them. The host, `memoryos serve`, one-shot CLI calls and the core worker all call it.
 */
export async function openApp(opts: AppOptions): Promise<App> {
  await initCrypto();
  // the database stays closed until the vault unlocks: its pages are encrypted under a key the vault master key derives
  const store = new Store(opts.dataDir, opts.sqliteBinding);
  const log = createLogger(opts.dataDir);
  const metrics = new Metrics();
  const seqCache = new Map<string, number>();
  const clock = opts.clock ?? systemClock;
  const bus = new EventBus((err, topic) => {
    metrics.inc('memoryos_subscriber_failures_total', { topic });
    log.warn('subscriber failed', { topic, error: (err as Error)?.name ?? 'Error' });
  });
  const search = new SearchIndex(() => store.db);
  const ctx: Ctx = {
    dataDir: opts.dataDir, store, get db() { return store.db; }, uow: new UnitOfWork(() => store.db, () => { seqCache.clear(); search.rolledBack(); forgetAllEpochKeys(ctx); }), bus, log, metrics, clock,
    platform: opts.platform ?? process.platform, keyring: null, search, seqCache, lastActivity: clock.now(), hooks: {}, problems: new ProblemLog(),
  };
  registerUndoExecutors();
  const sync = opts.sync ? new SyncRunner(ctx, opts.sync) : null;

  // merging can wait: a failure (a full disk, a damaged index) is logged once and never stops
  // the checkpoint or the rest of the tick
  let mergeFailed = false;
  const mergeIndex = (budgetMs: number) => {
    try { ctx.search.mergeSegments(budgetMs); } catch (e) {
      if (!mergeFailed) log.warn('search index merge failed', { error: (e as Error).name, code: String((e as { code?: unknown }).code ?? '') });
      mergeFailed = true;
    }
  };
  const tick = () => {
    if (!ctx.keyring) return;
    // due work first: an idle vault still commits what its undo windows promised
    commitDue(ctx);
    expireWorkingMemories(ctx);
    purgeExpiredTrash(ctx, ctx.keyring.memberId);
    const minutes = getSettings(ctx).auto_lock_minutes;
    if (minutes > 0 && ctx.clock.now() - ctx.lastActivity > minutes * 60_000) { lockVault(ctx); return; }
    // between calls, not inside the next write: the index's merges (SearchIndex.mergeSegments), then the
    // WAL they and the calls before wrote (database.ts WAL_AUTOCHECKPOINT_PAGES). A running job
    // (an export, an import) has the thread meanwhile: the merges wait for it to end, and FTS5's
    // crisismerge bounds what piles up in between.
    if (!runningJobs(ctx).length) mergeIndex(TICK_MERGE_BUDGET_MS);
    checkpointBetweenCalls(ctx.db);
  };
  const afterUnlock = async (c: Ctx) => {
    failInterruptedJobs(c); // a job the last process left running died with it (its partial file goes)
    const t0 = performance.now();
    const n = openSearchIndex(c);
    metrics.observe('memoryos_unlock_index_seconds', (performance.now() - t0) / 1000);
    if (n) log.info('search index brought up from an earlier format', { memories: n, ms: Math.round(performance.now() - t0) });
    commitDue(c); // overdue actions commit on boot, once
    expireWorkingMemories(c);
    // sync follows the vault: it runs while the vault is open (the unlock answers once it listens)
    if (sync) await sync.start().catch((e: Error) => log.warn('sync did not start', { error: e.name, message: e.message.slice(0, 200) }));
  };
  if (sync) {
    // sessions need the device key: they end when the vault locks, before the keys are wiped
    bus.subscribe('VAULT_STATE_CHANGED', (env) => {
      if ((env.payload as { state?: string }).state === 'locked') sync.locked();
    });
    bus.subscribe('PRESENCE_DEVICE_CHANGED', (env) => {
      const p = env.payload as { device_id: string; state: string };
      if (p.state === 'revoked') sync.revoked(p.device_id);
    });
  }

  const registry = new Registry();
  let router!: Router;
  let timer: NodeJS.Timeout | undefined;
  registry.register({ id: 'crypto', layer: 0, dependencies: [], start: initCrypto, health: () => ({ status: 'ok', detail: 'libsodium (sodium-native)' }) });
  registry.register({
    id: 'store', layer: 0, dependencies: [], stop: () => { store.close(); },
    health: () => store.health(),
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
    health: () => (!ctx.keyring ? { status: 'ok', detail: 'locked' }
      : ctx.search.current() ? { status: 'ok', detail: `${ctx.search.size} indexed` } : { status: 'degraded', detail: 'index not filled yet' }),
  });
  registry.register({
    id: 'integrity', layer: 1, dependencies: ['memories'],
    health: () => {
      const all = ctx.problems.all();
      if (!all.length) return { status: 'ok', detail: 'every record read so far authenticated' };
      const names = all.slice(0, 10).map((p) => `${p.record} ${p.id} ${p.kind}${p.fields.length ? ` (${p.fields.join(', ')})` : ''}`).join('; ');
      return { status: 'degraded', detail: `${all.length} record(s) refused: ${names}${all.length > 10 ? '; …' : ''}` };
    },
  });
  registry.register({ id: 'undo', layer: 1, dependencies: ['memories', 'events'], health: () => ({ status: 'ok' }) });
  registry.register({
    id: 'api', layer: 2, dependencies: ['vault', 'spaces', 'memories', 'search', 'undo', 'audit', 'observability', 'policy'],
    start: () => {
      apiCatalog();
      router = new Router(ctx, {
        ...vaultHandlers(afterUnlock), ...memberHandlers, ...deviceHandlers, ...spaceHandlers, ...memoryHandlers, ...undoHandlers,
        ...settingsHandlers, ...eventsHandlers, ...auditHandlers, ...syncHandlers, ...inviteHandlers, ...jobHandlers, ...privacyHandlers, ...importHandlers, ...attachmentHandlers, ...trashHandlers, ...sessionHandlers,
        ...systemHandlers(registry, () => router.methods()),
      }, () => sync?.port() ?? null);
    },
    health: () => ({ status: 'ok', detail: `${apiCatalog().size} methods` }),
  });
  registry.register({
    id: 'sync', layer: 2, dependencies: ['vault', 'spaces', 'memories', 'search'],
    stop: async () => { await sync?.close(); },
    health: () => {
      const n = sync?.node;
      return { status: 'ok', detail: n ? `${n.sessions.size} session(s)${n.direct ? `, port ${n.direct.port}` : ''}${n.swarm ? ', hyperswarm' : ''}` : 'not running' };
    },
  });
  registry.register({
    id: 'scheduler', layer: 2, dependencies: ['undo', 'memories', 'vault'],
    start: () => {
      if (opts.scheduler) {
        timer = setInterval(() => { try { tick(); } catch (e) { log.error('scheduler tick failed', { error: (e as Error).name }); } }, opts.scheduler.intervalMs);
        timer.unref();
      }
    },
    stop: () => { if (timer) clearInterval(timer); },
    health: () => ({ status: 'ok', detail: opts.scheduler ? 'running' : 'on demand' }),
  });
  metrics.gauge('memoryos_process_resident_bytes', () => process.memoryUsage().rss, 'resident set size');
  metrics.gauge('memoryos_vault_unlocked', () => (ctx.keyring ? 1 : 0));
  metrics.gauge('memoryos_search_indexed', () => (ctx.keyring ? ctx.search.size : 0));

  try {
    await registry.boot();
    adoptLegacyHeader(ctx);
  } catch (e) {
    try { store.close(); } catch { /* already failing loudly */ }
    throw e;
  }
  let closed = false;
  const app: App = {
    call: (method, params, callOpts) => router.call(method, params, callOpts),
    subscribe: (topic, fn, subOpts) => bus.subscribe(topic, (env) => {
      const member = subOpts?.viewer?.() ?? null;
      if (member === null || eventVisibleToMember(ctx, env, member)) fn(env);
    }),
    status: () => {
      const n = sync?.node ?? null;
      return { data_dir: opts.dataDir, unlocked: !!ctx.keyring, sync: { running: !!n, port: n?.direct?.port ?? null, hyperswarm: !!n?.swarm } };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // a job still running stops at its next step (its partial output removed), then the app closes
      for (const id of runningJobs(ctx)) { try { cancelJob(ctx, ctx.keyring?.memberId ?? '', id); } catch { /* ended meanwhile */ } }
      const jobs = runningJobs(ctx);
      if (jobs.length) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(jobs.map((id) => jobSettled(ctx, id))), new Promise((r) => { timer = setTimeout(r, 10_000); })]);
        clearTimeout(timer); // a pending timer would hold a one-shot CLI call open for its full length
      }
      await sync?.close();
      // no scheduler ran the merges between this app's calls: a little of them now (crisismerge
      // bounded the segments meanwhile)
      if (ctx.keyring && !opts.scheduler) mergeIndex(CLOSE_MERGE_BUDGET_MS);
      if (ctx.keyring) { ctx.keyring.wipe(); ctx.keyring = null; }
      await registry.stop();
    },
  };
  bindInternals(app, { ctx, router, registry, tick, sync: () => sync?.node ?? null, startSync: () => { if (!sync) throw new Error('this app runs no sync'); return sync.start(); } });
  return app;
}
