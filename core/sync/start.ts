import type { Ctx } from '../app/context';
import { ApiError } from '../shared/errors';
import { DirectListener } from '../transports/direct';
import { SwarmTransport } from '../transports/hyperswarm';
import { SyncNode, type SyncNodeOptions } from './node';

export interface StartSyncOptions extends SyncNodeOptions {
  /** direct transport: TCP port (0: any) and bind address; null: no direct listener */
  direct?: { port?: number; host?: string } | null;
  /** Hyperswarm: a DHT node (tests: testnet.createNode()) or bootstrap list */
  hyperswarm?: { dht?: unknown; bootstrap?: unknown } | null;
}

/** Starts peer-to-peer sync for an unlocked vault (the host does this; tests call it directly). */
export async function startSync(ctx: Ctx, opts: StartSyncOptions = {}): Promise<SyncNode> {
  if (!ctx.keyring) throw new ApiError('LOCKED', 'unlock the vault before starting sync');
  if (ctx.sync) return ctx.sync;
  const node = new SyncNode(ctx, opts);
  if (opts.direct !== null) {
    node.direct = new DirectListener(node, opts.direct?.host ?? '127.0.0.1');
    await node.direct.listen(opts.direct?.port ?? 0);
  }
  if (opts.hyperswarm) {
    node.swarm = new SwarmTransport(node, opts.hyperswarm);
    await node.swarm.joinSpaces();
  }
  ctx.sync = node;
  ctx.log.info('sync started', { port: node.direct?.port ?? null, hyperswarm: !!node.swarm });
  return node;
}

export async function stopSync(ctx: Ctx): Promise<void> {
  const n = ctx.sync;
  ctx.sync = null;
  await n?.close();
}

export function requireSync(ctx: Ctx): SyncNode {
  if (!ctx.sync) throw new ApiError('BUSY', 'sync runs inside `memoryos serve`: start the host for this data directory first');
  return ctx.sync;
}
