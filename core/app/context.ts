import type { Db } from '../store/database';
import type { UnitOfWork } from '../store/unit-of-work';
import type { EventBus } from '../events/bus';
import type { Keyring } from '../vault/keyring';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Clock } from '../shared/time';
import type { SearchIndex } from '../search/search-index';
import { ApiError } from '../shared/errors';

export const APP_VERSION = '0.1.0';

/** Everything a service needs for one open data directory. Services are functions of it. */
export interface Ctx {
  readonly dataDir: string;
  readonly db: Db;
  readonly uow: UnitOfWork;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly platform: string;
  keyring: Keyring | null;
  /** the in-memory full-text index; exists only while unlocked */
  search: SearchIndex | null;
  /** per (space, device) next seq, cached to keep appends O(1) */
  readonly seqCache: Map<string, number>;
  /** the time of the last API call, for auto-lock */
  lastActivity: number;
  /** called after a unit of work that appended to the sync log commits (live push to peers) */
  onSyncAppend?: () => void;
  /** the peer-to-peer sync node of this process, once started */
  sync?: import('../sync/node').SyncNode | null;
}

export function keys(ctx: Ctx): Keyring {
  if (!ctx.keyring) throw new ApiError('LOCKED', 'the vault is locked: unlock it first');
  return ctx.keyring;
}

/** The acting member of a call: the vault owner unless a local profile is named. */
export interface Actor { member_id: string }
