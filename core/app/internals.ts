import type { Ctx } from '../context/ctx';
import type { Router } from '../api/router';
import type { Registry } from '../registry/registry';
import type { SyncNode } from '../sync/node';

/**
 * What tests and the benchmark may reach inside an app: never a door. The doors see only the
 * App surface (call, subscribe, status, close); the layer lint keeps them from importing this.
 */
export interface AppInternals {
  ctx: Ctx;
  router: Router;
  registry: Registry;
  /** scheduler work, callable directly (tests) */
  tick(): void;
  sync(): SyncNode | null;
  /** starts sync now (tests start it before unlocking is observed) */
  startSync(): Promise<SyncNode>;
}

const byApp = new WeakMap<object, AppInternals>();

export function bindInternals(app: object, i: AppInternals): void { byApp.set(app, i); }

export function internals(app: object): AppInternals {
  const i = byApp.get(app);
  if (!i) throw new Error('not an app opened by openApp');
  return i;
}
