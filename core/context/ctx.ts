import type { Db } from '../store/database';
import type { Store } from '../store/store';
import type { UnitOfWork } from '../store/unit-of-work';
import type { SearchIndex } from '../store/search-index';
import type { EventBus } from '../events/bus';
import type { Keyring } from '../crypto/keyring';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Clock } from '../shared/time';
import { ApiError } from '../shared/errors';
import type { ProblemLog } from './problems';

/**
 * What the domain may ask of the layers above it, filled by the composition root (app/openApp).
 * The domain never imports sync/ or the doors: it calls these, and they are no-ops until filled.
 */
export interface CoreHooks {
  /** after a unit of work that appended to the sync log commits: push to connected peers */
  logAppended?: () => void;
}

/**
 * One open data directory: what every domain operation runs in. Services are functions of it;
 * nothing outside core/ sees it (an App offers call, subscribe, status and close).
 */
export interface Ctx {
  readonly dataDir: string;
  /** the vault database: open while the vault is unlocked, LOCKED otherwise (it is encrypted at rest) */
  readonly db: Db;
  /** opens and closes it (the vault does, at unlock and lock) */
  readonly store: Store;
  readonly uow: UnitOfWork;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly platform: string;
  /** every key of the unlocked vault; null while locked */
  keyring: Keyring | null;
  /** the in-memory full-text index; exists only while unlocked */
  /** the full-text index in the vault's database (its tables open and close with the store) */
  search: SearchIndex;
  /** per (log, space, device) next seq, cached to keep appends O(1) */
  readonly seqCache: Map<string, number>;
  /** the time of the last API call, for auto-lock */
  lastActivity: number;
  /** records that failed authentication or disagree with their sealed source, seen by this process */
  readonly problems: ProblemLog;
  readonly hooks: CoreHooks;
}

/** The unlocked vault's keys, or LOCKED. */
export function keys(ctx: Pick<Ctx, 'keyring'>): Keyring {
  if (!ctx.keyring) throw new ApiError('LOCKED', 'the vault is locked: unlock it first');
  return ctx.keyring;
}
