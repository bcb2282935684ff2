import type { Clock } from '../shared/time';
import type { LinkWrapper } from '../sync/link';

/** Peer-to-peer sync as an app runs it: which transports, how often, whether it redials known peers. */
export interface SyncOptions {
  /** direct transport: TCP port (0: any) and bind address; null: no direct listener */
  direct?: { port?: number; host?: string } | null;
  /** Hyperswarm: a DHT node (tests: testnet.createNode()) or a bootstrap list; null: off */
  hyperswarm?: { dht?: unknown; bootstrap?: unknown } | null;
  /** periodic hello (anti-entropy) interval */
  helloMs?: number;
  /** redial trusted peers at their last announced address every so often (0: never) */
  autoConnectMs?: number;
  /** tests only: wraps each session's frame link (faults, recording, tampering) */
  wrapLink?: LinkWrapper;
}

/** Everything that decides how an app is assembled: one object, whichever door opens it. */
export interface AppOptions {
  dataDir: string;
  clock?: Clock;
  platform?: string;
  /** undo commits, expiry and auto-lock on a timer: a long-lived process (host, worker) does; a one-shot CLI call does not */
  scheduler?: { intervalMs: number } | null;
  /** start sync whenever the vault is unlocked (or created); null: never in this process */
  sync?: SyncOptions | null;
  /** better-sqlite3-multiple-ciphers's native module built for this runtime, when it is not Node's (Electron's core worker) */
  sqliteBinding?: string;
}

export type AppRole = 'host' | 'one-shot';

/**
 * The options every door derives from the environment, the same way: `memoryos serve`, the core
 * worker (Electron) and one-shot CLI calls. A host runs the scheduler and sync; a one-shot call
 * runs neither (it commits due undo actions at unlock, like every open).
 */
export function appOptionsFrom(env: NodeJS.ProcessEnv, dataDir: string, role: AppRole, platform = process.platform): AppOptions {
  const sqliteBinding = env.MEMORYOS_SQLITE_BINDING || undefined;
  if (role === 'one-shot') return { dataDir, platform, scheduler: null, sync: null, sqliteBinding };
  const bootstrap = env.MEMORYOS_SYNC_BOOTSTRAP
    ? env.MEMORYOS_SYNC_BOOTSTRAP.split(',').map((a) => { const [host, port] = a.trim().split(':'); return { host, port: Number(port) }; })
    : null;
  return {
    dataDir, platform, sqliteBinding,
    scheduler: { intervalMs: Number(env.MEMORYOS_TICK_MS) || 1000 },
    sync: env.MEMORYOS_SYNC === '0' ? null : {
      autoConnectMs: env.MEMORYOS_SYNC_AUTOCONNECT === '0' ? 0 : 3000,
      helloMs: Number(env.MEMORYOS_SYNC_HELLO_MS) || 5000,
      // the API host binds loopback only; sync listens on the LAN (pairing there is the feature)
      direct: { port: Number(env.MEMORYOS_SYNC_PORT) || 0, host: env.MEMORYOS_SYNC_HOST || '0.0.0.0' },
      // Hyperswarm (DHT discovery, hole punching) is opt-in: it announces this device on a public DHT,
      // or on the DHT nodes named in MEMORYOS_SYNC_BOOTSTRAP (host:port,…)
      hyperswarm: env.MEMORYOS_SYNC_HYPERSWARM === '1' ? (bootstrap ? { bootstrap } : {}) : null,
    },
  };
}
