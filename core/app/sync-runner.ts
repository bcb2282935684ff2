import { ApiError } from '../shared/errors';
import type { Ctx } from '../context/ctx';
import type { SyncPort } from '../api/sync-port';
import { SyncNode } from '../sync/node';
import { warmBuiltReceiveThread } from '../sync/receive-prep-thread';
import { DirectListener } from '../transports/direct';
import { SwarmTransport } from '../transports/hyperswarm';
import type { SyncOptions } from './options';

const CONNECT_ANSWER_MS = 10_000;

/**
 * Runs sync for an open data directory: starts the node with its transports when the vault
 * opens, ends its sessions when it locks, closes it with the app. Also what the API sees of it.
 */
export class SyncRunner {
  node: SyncNode | null = null;
  private starting: Promise<SyncNode> | null = null;

  constructor(private readonly ctx: Ctx, private readonly opts: SyncOptions) {}

  /** Starts sync for the unlocked vault (again after a lock: sessions resume). */
  async start(): Promise<SyncNode> {
    if (!this.ctx.keyring) throw new ApiError('LOCKED', 'unlock the vault before starting sync');
    if (this.node) { this.node.resume(); return this.node; }
    this.starting ??= this.open().finally(() => { this.starting = null; });
    return this.starting;
  }

  private async open(): Promise<SyncNode> {
    const ctx = this.ctx;
    const node = new SyncNode(ctx, { helloMs: this.opts.helloMs, autoConnectMs: this.opts.autoConnectMs, wrapLink: this.opts.wrapLink });
    try {
      if (this.opts.direct !== null) {
        const direct = new DirectListener(node, this.opts.direct?.host ?? '127.0.0.1');
        await direct.listen(this.opts.direct?.port ?? 0);
        node.direct = direct;
      }
      if (this.opts.hyperswarm) {
        const swarm = new SwarmTransport(node, this.opts.hyperswarm);
        node.swarm = swarm;
        await swarm.joinSpaces();
      }
    } catch (e) {
      await node.close();
      throw e;
    }
    ctx.hooks.logAppended = () => node.notify();
    // the receiving thread loads now (~0.4 s, and its schema ~0.4 s more), not when a peer far
    // ahead says hello: a first sync (a device just paired) had its first second applied by this
    // thread alone while the other loaded beside it
    warmBuiltReceiveThread();
    await node.pairing.announceOpenInvites().catch(() => {});
    this.node = node;
    ctx.log.info('sync started', { port: node.direct?.port ?? null, hyperswarm: !!node.swarm });
    return node;
  }

  /** The vault locked: sessions need the device key, so they end now. */
  locked(): void { this.node?.pause(); }

  /** A device was revoked: its sessions end now. */
  revoked(deviceId: string): void { this.node?.revokeSessions(deviceId); }

  async close(): Promise<void> {
    const n = this.node ?? (await this.starting?.catch(() => null)) ?? null;
    this.node = null;
    this.ctx.hooks.logAppended = undefined;
    await n?.close();
  }

  /** The API's view of the running node, or null. */
  port(): SyncPort | null {
    const node = this.node;
    if (!node) return null;
    return {
      pairOffer: (actor) => node.pairing.pairOffer(actor),
      pairAccept: (invite) => node.pairing.pairAccept(invite),
      confirm: (deviceId) => node.pairing.confirm(deviceId),
      spaceInvite: (actor, space, role) => node.pairing.spaceInvite(actor, space, role),
      join: (invite) => node.pairing.join(invite),
      connect: async (address) => {
        const s = await node.connect(address);
        const accepted = await Promise.race([s.ready, new Promise<boolean>((r) => setTimeout(() => r(false), CONNECT_ANSWER_MS))]);
        if (!accepted || !s.peerDevice) { s.close(); throw new ApiError('UNAUTHORIZED', 'the device at that address is not a known, trusted device', { address }); }
        return { device_id: s.peerDevice, connected: !s.closed };
      },
      disconnect: () => node.pause(),
      status: () => node.status() as never,
      announce: () => { void node.swarm?.joinSpaces().catch(() => {}); },
    };
  }
}
