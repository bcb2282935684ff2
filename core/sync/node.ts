import { networkInterfaces } from 'node:os';
import type NoiseSecretStream from '@hyperswarm/secret-stream';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { ApiError } from '../shared/errors';
import { deviceRow, dialableDevices, rememberDeviceAddress } from '../members/devices';
import { epochKey } from '../spaces/epoch-keys';
import { buildRoster, type Roster } from '../spaces/roster';
import { membershipsOf, sharedSpaceIds } from '../spaces/spaces';
import { syncPeersTable } from '../store/tables/sync-peers';
import type { FrameOf } from './frames';
import { topicFor } from './invite';
import type { LinkWrapper } from './link';
import { Pairing } from './pairing';
import type { Listener, Swarm, TransportHost } from './ports';
import type { Refusal, RefusalReason } from './receive';
import { Session, type Intent, type SessionHost, type SessionOptions } from './session';
import { syncStatus } from './status';

export interface SyncNodeOptions {
  /** periodic hello (anti-entropy) interval */
  helloMs?: number;
  /** reconnect to known, trusted peers at their last announced address (the host does; tests choose) */
  autoConnectMs?: number;
  /** tests only: wraps each session's frame link (faults, recording, tampering) */
  wrapLink?: LinkWrapper;
}

/**
 * The sync node of one open data directory: its connections and sessions, the timers that keep
 * them alive, presence and refusal counters. Pairing and joining live in ./pairing, the status
 * report in ./status, the wire in the transports the composition root gives it.
 */
export class SyncNode implements SessionHost, TransportHost {
  readonly sessions = new Set<Session>();
  readonly refused: Record<string, number> = {};
  readonly pairing: Pairing;
  readonly wrapLink?: LinkWrapper;
  direct: Listener | null = null;
  swarm: Swarm | null = null;
  paused = false;
  private timer: NodeJS.Timeout;
  private dialTimer: NodeJS.Timeout | null = null;
  private dialing = new Set<string>();
  private notifyQueued = false;

  constructor(readonly ctx: Ctx, readonly opts: SyncNodeOptions = {}) {
    this.wrapLink = opts.wrapLink;
    this.pairing = new Pairing(this);
    const every = opts.helloMs ?? 5000;
    this.timer = setInterval(() => { for (const s of this.sessions) s.sendHello(); }, every);
    this.timer.unref();
    if (opts.autoConnectMs) {
      this.dialTimer = setInterval(() => this.dialKnownPeers(), opts.autoConnectMs);
      this.dialTimer.unref();
    }
  }

  get intents(): Map<string, Intent> { return this.pairing.intents; }

  unlocked(): boolean { return !!this.ctx.keyring; }

  keyPair(): { publicKey: Buffer; secretKey: Buffer } {
    const k = keys(this.ctx);
    return { publicKey: Buffer.from(k.deviceSign.publicKey), secretKey: Buffer.from(k.deviceSign.privateKey) };
  }

  spaceTopics(): { space_id: string; topic: Buffer }[] {
    if (!this.ctx.keyring) return [];
    const out: { space_id: string; topic: Buffer }[] = [];
    for (const { space_id } of membershipsOf(this.ctx, this.ctx.keyring.memberId)) {
      let key: Uint8Array;
      try { key = epochKey(this.ctx, space_id, 1); } catch { continue; }
      out.push({ space_id, topic: topicFor('space', space_id, key) });
    }
    return out;
  }

  // ---- sessions -------------------------------------------------------------------------------

  /** Wraps a Noise stream (either transport) in a session. */
  accept(stream: NoiseSecretStream, opts: SessionOptions): Session {
    const s = new Session(this, stream, opts);
    this.sessions.add(s);
    return s;
  }

  attach(s: Session): void {
    this.sessions.add(s);
    if (s.peerDevice) this.presence(s.peerDevice, 'online');
  }

  detach(s: Session): void {
    if (!this.sessions.delete(s)) return;
    if (s.peerDevice && this.ctx.keyring) {
      try { this.presence(s.peerDevice, 'offline'); } catch { /* closing while locking */ }
    }
  }

  private presence(device: string, state: 'online' | 'offline'): void {
    this.ctx.uow.run(() => emit(this.ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: device, state }, actor: { member_id: keys(this.ctx).memberId, caps: [] } }));
  }

  /** After a local commit or a stored batch: push to every connected peer. */
  notify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    setImmediate(() => {
      this.notifyQueued = false;
      for (const s of this.sessions) void s.flush();
    });
  }

  /** Spaces this device and a peer device both belong to (the peer must be trusted). */
  sharedSpaces(peerDevice: string): string[] {
    const me = this.ctx.keyring?.memberId;
    const d = deviceRow(this.ctx, peerDevice);
    if (!me || !d || d.status !== 'trusted') return [];
    return sharedSpaceIds(this.ctx, me, d.member_id);
  }

  isOwnTrusted(peerDevice: string): boolean {
    const d = deviceRow(this.ctx, peerDevice);
    return !!d && d.status === 'trusted' && d.member_id === this.ctx.keyring?.memberId;
  }

  roster(spaces: string[]): Roster[] { return spaces.map((s) => buildRoster(this.ctx, s)); }

  onSetupRequest(s: Session, f: FrameOf<'pair'> | FrameOf<'join'>): void { this.pairing.onSetupRequest(s, f); }
  onKeys(s: Session, f: FrameOf<'keys'>): void { this.pairing.onKeys(s, f); }
  onConfirm(s: Session, f: FrameOf<'confirm'>): void { this.pairing.onConfirm(s, f); }
  maybeSendKeys(s: Session): void { this.pairing.maybeSendKeys(s); }

  /** Ends every session with a device (it was revoked). */
  revokeSessions(deviceId: string): void {
    for (const s of [...this.sessions]) if (s.peerDevice === deviceId) s.close();
  }

  /** Closes every session and stops dialling until asked again (sync.disconnect, lock). */
  pause(): number {
    this.paused = true;
    const n = this.sessions.size;
    for (const s of [...this.sessions]) s.close();
    return n;
  }

  resume(): void { this.paused = false; }

  // ---- counters and peer records ------------------------------------------------------------------

  countRefusal(s: Session | null, reason: RefusalReason): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    this.ctx.metrics.inc('memoryos_sync_refused_total', { reason });
    if (reason !== 'duplicate' && reason !== 'gap') this.ctx.log.warn('sync input refused', { reason, peer: s?.peerDevice ?? 'unknown' });
  }

  report(s: Session, refused: Refusal[]): void {
    for (const r of refused) {
      this.refused[r.reason] = (this.refused[r.reason] ?? 0) + 1;
      this.ctx.metrics.inc('memoryos_sync_refused_total', { reason: r.reason });
      if (r.reason !== 'duplicate' && r.reason !== 'gap') {
        this.ctx.log.warn('sync entry refused', { reason: r.reason, space_id: r.space_id, author_device: r.author_device, seq: r.seq, peer: s.peerDevice ?? 'unknown' });
      }
    }
  }

  recordPeer(device: string, space: string, verified: boolean, at?: number): void {
    const now = this.ctx.clock.now();
    syncPeersTable.record(this.ctx.db, device, space, now, verified ? (at ?? now) : null);
  }

  // ---- addresses and connections ---------------------------------------------------------

  /** A peer's hello says where it listens: kept so a restart can find it again. */
  rememberAddress(device: string, addresses: string[]): void {
    const first = addresses.find((a) => a.length <= 80 && /^[^\s]+:\d{1,5}$/.test(a));
    if (first) rememberDeviceAddress(this.ctx, device, first);
  }

  addressHints(): string[] {
    if (!this.direct) return [];
    const port = this.direct.port;
    const hints = [`127.0.0.1:${port}`];
    if (this.direct.host !== '127.0.0.1') {
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) hints.push(`${a.address}:${port}`);
    }
    return hints;
  }

  async connect(address: string, intent?: Intent): Promise<Session> {
    if (!intent) this.paused = false;
    if (!this.direct) throw new ApiError('BUSY', 'sync is not running in this process: use `memoryos serve`');
    return this.direct.connect(address, intent);
  }

  /** Resumes sessions with trusted peers that are not connected (a reconnect restarts from vectors). */
  dialKnownPeers(): void {
    if (this.paused || !this.direct || !this.ctx.keyring) return;
    for (const r of dialableDevices(this.ctx)) {
      if (!r.address || this.dialing.has(r.device_id) || [...this.sessions].some((s) => s.peerDevice === r.device_id && !s.closed)) continue;
      this.dialing.add(r.device_id);
      this.connect(r.address).catch(() => {}).finally(() => this.dialing.delete(r.device_id));
    }
  }

  status() { return syncStatus(this); }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.dialTimer) clearInterval(this.dialTimer);
    for (const s of [...this.sessions]) s.close();
    await this.direct?.close();
    await this.swarm?.close();
    this.direct = null;
    this.swarm = null;
  }
}
