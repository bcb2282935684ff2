import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type NoiseSecretStream from '@hyperswarm/secret-stream';
import type { Role } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { b64, fromB64, seal } from '../crypto/sodium';
import { emit } from '../events/envelope';
import { ApiError } from '../shared/errors';
import { iso } from '../shared/time';
import { sql } from '../store/statements';
import { getMember } from '../members/members';
import { deviceRow, thisDevice, upsertRemoteDevice, verifyDeviceCert } from './device-cert';
import type { FaultPlan, Frame } from './frames';
import { decodeInvite, encodeInvite, pairingCode, proofOk, secretProof, topicFor, type Invite } from './invite';
import { adoptMember, confirmOwnDevice } from './pairing';
import { addJoinedMember } from './membership';
import type { Refusal, RefusalReason } from './receive';
import { applyRoster, buildRoster } from './roster';
import { Session, type Intent, type SessionOptions } from './session';
import type { DirectListener } from '../transports/direct';
import type { SwarmTransport } from '../transports/hyperswarm';

export interface SyncNodeOptions {
  /** periodic hello (anti-entropy) interval */
  helloMs?: number;
  /** reconnect to known, trusted peers at their last announced address (the host does; tests choose) */
  autoConnectMs?: number;
  /** test hooks applied to every new session */
  faults?: FaultPlan;
  tap?: SessionOptions['tap'];
  tamper?: SessionOptions['tamper'];
}

interface Adoption { from: string; member_id: string; code: string; keys: Extract<Frame, { t: 'keys' }>['member'] | null; confirmed: boolean }

const INVITE_TTL_MS = 15 * 60_000;

/**
 * The sync node of one open data directory: its listener(s), its sessions, its one-time invites,
 * the pairing in progress, and the counters sync.status reports.
 */
export class SyncNode {
  readonly sessions = new Set<Session>();
  readonly invites = new Map<string, Invite & { used: boolean; created_by: string }>();
  readonly refused: Record<string, number> = {};
  /** test relay: faults injected on this node's outgoing frames */
  readonly faultsInjected = { drop: 0, duplicate: 0, reorder: 0 };
  adoption: Adoption | null = null;
  direct: DirectListener | null = null;
  swarm: SwarmTransport | null = null;
  paused = false;
  private timer: NodeJS.Timeout;
  private notifyQueued = false;
  private keysSent = new WeakSet<Session>();
  /** swarm connections expected for a pairing or join, by the remote device key */
  readonly intents = new Map<string, Intent>();

  constructor(readonly ctx: Ctx, public opts: SyncNodeOptions = {}) {
    ctx.onSyncAppend = () => this.notify();
    const every = opts.helloMs ?? (Number(process.env.MEMORYOS_SYNC_HELLO_MS) || 5000);
    this.timer = setInterval(() => { for (const s of this.sessions) s.sendHello(); }, every);
    this.timer.unref();
    if (opts.autoConnectMs) {
      this.dialTimer = setInterval(() => this.dialKnownPeers(), opts.autoConnectMs);
      this.dialTimer.unref();
    }
  }

  private dialTimer: NodeJS.Timeout | null = null;
  private dialing = new Set<string>();

  /** A peer's hello says where it listens: kept so a restart can find it again. */
  rememberAddress(device: string, addresses: unknown[]): void {
    const first = addresses.find((a): a is string => typeof a === 'string' && a.length <= 80 && /^[^\s]+:\d{1,5}$/.test(a));
    if (first) sql(this.ctx.db, 'UPDATE devices SET address = ? WHERE device_id = ? AND local = 0').run(first, device);
  }

  /** Resumes sessions with trusted peers that are not connected (a reconnect restarts from vectors). */
  dialKnownPeers(): void {
    if (this.paused || !this.direct || !this.ctx.keyring) return;
    const rows = sql(this.ctx.db, "SELECT device_id, address FROM devices WHERE local = 0 AND status = 'trusted' AND address IS NOT NULL").all() as { device_id: string; address: string }[];
    for (const r of rows) {
      if (this.dialing.has(r.device_id) || [...this.sessions].some((s) => s.peerDevice === r.device_id && !s.closed)) continue;
      this.dialing.add(r.device_id);
      this.connect(r.address).catch(() => {}).finally(() => this.dialing.delete(r.device_id));
    }
  }

  keyPair(): { publicKey: Buffer; secretKey: Buffer } {
    const k = keys(this.ctx);
    return { publicKey: Buffer.from(k.deviceSign.publicKey), secretKey: Buffer.from(k.deviceSign.privateKey) };
  }

  /** Wraps a Noise stream (either transport) in a session. */
  accept(stream: NoiseSecretStream, extra: Partial<SessionOptions> & { transport: SessionOptions['transport'] }): Session {
    const s = new Session(this, stream, { ...extra });
    this.sessions.add(s);
    return s;
  }

  attach(s: Session): void {
    this.sessions.add(s);
    if (s.peerDevice) {
      this.ctx.uow.run(() => emit(this.ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: s.peerDevice!, state: 'online' }, actor: { member_id: keys(this.ctx).memberId, caps: [] } }));
    }
  }

  detach(s: Session): void {
    if (!this.sessions.delete(s)) return;
    if (s.peerDevice && this.ctx.keyring) {
      try {
        this.ctx.uow.run(() => emit(this.ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: s.peerDevice!, state: 'offline' }, actor: { member_id: keys(this.ctx).memberId, caps: [] } }));
      } catch { /* closing while locking */ }
    }
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
    return (sql(this.ctx.db, `SELECT a.space_id FROM space_members a JOIN space_members b ON a.space_id = b.space_id
      WHERE a.member_id = ? AND b.member_id = ? ORDER BY a.space_id`).all(me, d.member_id) as { space_id: string }[]).map((r) => r.space_id);
  }

  isOwnTrusted(peerDevice: string): boolean {
    const d = deviceRow(this.ctx, peerDevice);
    return !!d && d.status === 'trusted' && d.member_id === this.ctx.keyring?.memberId;
  }

  roster(spaces: string[]) { return spaces.map((s) => buildRoster(this.ctx, s)); }

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

  recordPeer(device: string, space: string, st: { verifiedAt: number | null }, verified: boolean): void {
    const now = this.ctx.clock.now();
    sql(this.ctx.db, `INSERT INTO sync_peers (device_id, space_id, last_seen, verified_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(device_id, space_id) DO UPDATE SET last_seen = excluded.last_seen, verified_at = COALESCE(excluded.verified_at, sync_peers.verified_at)`)
      .run(device, space, now, verified && st.verifiedAt ? now : null);
  }

  // ---- addresses and connections ---------------------------------------------------------

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
    const s = await this.direct.connect(address, intent);
    return s;
  }

  /** Tries each address hint (direct) and the invite's swarm topic (Hyperswarm) until one answers. */
  private async reach(inv: Invite, intent: Intent, topicSecret: string): Promise<void> {
    if (this.swarm) {
      this.intents.set(inv.device_key, intent);
      await this.swarm.joinTopic(topicFor('invite', inv.id, topicSecret), false);
      return;
    }
    let lastErr: unknown = null;
    for (const h of inv.hints.slice(0, 8)) {
      try { await this.connect(h, intent); return; } catch (e) { lastErr = e; }
    }
    throw lastErr instanceof ApiError ? lastErr : new ApiError('BUSY', 'no address in the invite answered', { hints: inv.hints.length });
  }

  // ---- invites, pairing, joining --------------------------------------------------------------

  private newInvite(kind: Invite['kind'], actor: string, extra: { space_id?: string; role?: Role } = {}): Invite {
    const k = keys(this.ctx);
    const inv: Invite = {
      v: 1, kind, id: randomBytes(12).toString('base64url'), secret: randomBytes(32).toString('base64url'),
      device_id: k.deviceId, device_key: b64(k.deviceSign.publicKey), hints: this.addressHints(), exp: this.ctx.clock.now() + INVITE_TTL_MS, ...extra,
    };
    this.invites.set(inv.id, { ...inv, used: false, created_by: actor });
    return inv;
  }

  /** Announces an invite's topic on the swarm (awaited: a joiner looking up before the announce would find nobody). */
  private async announceInvite(inv: Invite): Promise<void> {
    if (this.swarm) await this.swarm.joinTopic(topicFor('invite', inv.id, inv.secret), true);
  }

  async pairOffer(actor: string): Promise<{ invite: string; code: string; expires_at: string }> {
    if (actor !== keys(this.ctx).memberId) throw new ApiError('FORBIDDEN', 'only the vault owner pairs devices', { reasons: [{ code: 'NOT_OWNER', message: 'devices belong to the vault owner' }] });
    const inv = this.newInvite('pair', actor);
    await this.announceInvite(inv);
    return { invite: encodeInvite(inv), code: pairingCode(inv.secret, inv.device_key), expires_at: iso(inv.exp) };
  }

  async spaceInvite(actor: string, space: string, role: Role): Promise<{ invite: string; expires_at: string }> {
    const inv = this.newInvite('space', actor, { space_id: space, role });
    await this.announceInvite(inv);
    return { invite: encodeInvite(inv), expires_at: iso(inv.exp) };
  }

  async pairAccept(text: string): Promise<{ device_id: string; member_id: string; code: string; status: 'pending' }> {
    const ctx = this.ctx;
    const inv = decodeInvite(text, 'pair', ctx.clock.now());
    const n = (sql(ctx.db, 'SELECT COUNT(*) AS n FROM memories').get() as { n: number }).n;
    if (n > 0) throw new ApiError('CONFLICT', 'only a new device can join: this vault already holds memories', { memories: n });
    if (inv.device_key === b64(keys(ctx).deviceSign.publicKey)) throw new ApiError('CONFLICT', 'that invite comes from this device');
    const code = pairingCode(inv.secret, inv.device_key);
    return new Promise((resolve, reject) => {
      let settled = false;
      const intent: Intent = {
        kind: 'pair', expectKey: Buffer.from(inv.device_key, 'base64'),
        firstFrame: (hh) => ({ t: 'pair', invite_id: inv.id, proof: secretProof(inv.secret, hh), device: thisDevice(ctx) }),
        onReply: (s, f) => {
          if (f.t !== 'pair_ok' || settled) return;
          if (f.device?.ed25519 !== inv.device_key || f.device.device_id !== inv.device_id) { intent.fail(new ApiError('UNAUTHORIZED', 'the offering device answered with another identity')); return; }
          ctx.uow.run(() => upsertRemoteDevice(ctx, { ...f.device, member_id: f.member_id }, 'pending', inv.hints[0] ?? null));
          this.adoption = { from: f.device.device_id, member_id: f.member_id, code, keys: null, confirmed: false };
          this.intents.delete(inv.device_key);
          settled = true;
          s.bind(f.device.device_id);
          resolve({ device_id: f.device.device_id, member_id: f.member_id, code, status: 'pending' });
        },
        fail: (e) => { if (!settled) { settled = true; this.intents.delete(inv.device_key); reject(e); } },
      };
      const t = setTimeout(() => intent.fail(new ApiError('BUSY', 'the offering device did not answer in time')), 20_000);
      t.unref();
      this.reach(inv, intent, inv.secret).catch((e) => intent.fail(e));
    });
  }

  async join(text: string): Promise<{ space_id: string; role: Role; status: 'joined' }> {
    const ctx = this.ctx;
    const inv = decodeInvite(text, 'space', ctx.clock.now());
    if (!inv.space_id || !inv.role) throw new ApiError('INVALID_INPUT', 'the invite names no space', { field: 'invite' });
    if (sql(ctx.db, 'SELECT 1 FROM spaces WHERE space_id = ?').get(inv.space_id)) throw new ApiError('CONFLICT', 'a space with that id already exists on this device', { space_id: inv.space_id });
    const k = keys(ctx);
    const me = sql(ctx.db, 'SELECT ed25519_pub, x25519_pub FROM members WHERE member_id = ?').get(k.memberId) as { ed25519_pub: Buffer; x25519_pub: Buffer };
    const member = { member_id: k.memberId, name: getMember(ctx, k.memberId).name, ed25519: b64(me.ed25519_pub), x25519: b64(me.x25519_pub) };
    return new Promise((resolve, reject) => {
      let settled = false;
      const intent: Intent = {
        kind: 'join', expectKey: Buffer.from(inv.device_key, 'base64'),
        firstFrame: (hh) => ({ t: 'join', invite_id: inv.id, proof: secretProof(inv.secret, hh), member, device: thisDevice(ctx) }),
        onReply: (s, f) => {
          if (f.t !== 'join_ok' || settled) return;
          if (!f.roster || f.roster.space_id !== inv.space_id) { intent.fail(new ApiError('UNAUTHORIZED', 'the inviter answered for another space')); return; }
          ctx.uow.run(() => applyRoster(ctx, [f.roster], inv.device_id));
          settled = true;
          this.intents.delete(inv.device_key);
          s.bind(inv.device_id);
          resolve({ space_id: inv.space_id!, role: f.role, status: 'joined' });
        },
        fail: (e) => { if (!settled) { settled = true; this.intents.delete(inv.device_key); reject(e); } },
      };
      const t = setTimeout(() => intent.fail(new ApiError('BUSY', 'the inviting device did not answer in time')), 20_000);
      t.unref();
      this.reach(inv, intent, inv.secret).catch((e) => intent.fail(e));
    });
  }

  /** The offering / inviting side of a pairing or a join. */
  onSetupRequest(s: Session, f: Extract<Frame, { t: 'pair' | 'join' }>): void {
    const ctx = this.ctx;
    const refuse = (code: string, message: string) => { this.countRefusal(s, 'malformed'); s.sendRaw({ t: 'error', code, message }); setTimeout(() => s.close(), 50); };
    if (s.peerDevice) { refuse('CONFLICT', 'this connection is already bound to a device'); return; }
    const inv = this.invites.get(String(f.invite_id));
    if (!inv || inv.used || inv.exp <= ctx.clock.now() || inv.kind !== (f.t === 'pair' ? 'pair' : 'space')) { refuse('UNAUTHORIZED', 'unknown, used or expired invite'); return; }
    if (!proofOk(inv.secret, s.handshakeHash, f.proof)) { refuse('UNAUTHORIZED', 'the invite secret was not proven'); return; }
    const d = f.device;
    if (!d || typeof d.device_id !== 'string' || d.ed25519 !== b64(s.remoteKey!) || typeof d.x25519 !== 'string') { refuse('UNAUTHORIZED', 'the device key does not match the handshake'); return; }
    if (deviceRow(ctx, d.device_id)) { refuse('CONFLICT', 'that device is already known'); return; }
    inv.used = true;
    if (f.t === 'pair') {
      ctx.uow.run(() => {
        upsertRemoteDevice(ctx, { ...d, member_id: keys(ctx).memberId, platform: String(d.platform ?? 'unknown') }, 'pending');
        emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: d.device_id, state: 'added' }, actor: { member_id: keys(ctx).memberId, caps: [] }, audit: true });
      });
      s.sendRaw({ t: 'pair_ok', device: thisDevice(ctx), member_id: keys(ctx).memberId });
      s.bind(d.device_id);
      return;
    }
    const m = f.member;
    if (!m || typeof m.member_id !== 'string' || typeof m.ed25519 !== 'string' || typeof m.x25519 !== 'string' || d.member_id !== m.member_id || !verifyDeviceCert(d, fromB64(m.ed25519))) {
      refuse('UNAUTHORIZED', 'the device is not certified by the joining member'); return;
    }
    try {
      ctx.uow.run(() => addJoinedMember(ctx, inv.created_by, inv.space_id!, inv.role!, { ...m, name: String(m.name ?? '').slice(0, 200) }, d));
    } catch (e) {
      refuse((e as ApiError).code ?? 'INTERNAL', (e as Error).message.slice(0, 200)); return;
    }
    s.sendRaw({ t: 'join_ok', roster: buildRoster(ctx, inv.space_id!), role: inv.role! });
    s.bind(d.device_id);
  }

  /** Sends the member keys to an own device once its pairing is confirmed here. */
  maybeSendKeys(s: Session): void {
    const ctx = this.ctx;
    if (!s.peerDevice || this.keysSent.has(s) || !s.peerMember) return;
    const d = deviceRow(ctx, s.peerDevice);
    const k = keys(ctx);
    if (!d || d.status !== 'trusted' || d.member_id !== k.memberId || s.peerMember === k.memberId) return;
    const mk = k.members.get(k.memberId)!;
    const me = sql(ctx.db, 'SELECT ed25519_pub, x25519_pub FROM members WHERE member_id = ?').get(k.memberId) as { ed25519_pub: Buffer; x25519_pub: Buffer };
    const box = new Uint8Array(d.x25519_pub);
    this.keysSent.add(s);
    {
      s.sendRaw({
        t: 'keys', member: {
          member_id: k.memberId, name: getMember(ctx, k.memberId).name, ed25519: b64(me.ed25519_pub), x25519: b64(me.x25519_pub),
          sign_sealed: b64(seal(mk.sign.privateKey, box)), box_sealed: b64(seal(mk.box.privateKey, box)),
        },
      });
    }
  }

  onKeys(s: Session, f: Extract<Frame, { t: 'keys' }>): void {
    const a = this.adoption;
    if (!a || !s.peerDevice || a.from !== s.peerDevice || f.member?.member_id !== a.member_id) { this.countRefusal(s, 'malformed'); return; }
    a.keys = f.member;
    if (a.confirmed) this.finishAdoption();
  }

  /** device.confirm: the user compared the codes. */
  confirm(deviceId: string): { device_id: string; status: 'trusted'; adopted: boolean } {
    const ctx = this.ctx;
    const d = deviceRow(ctx, deviceId);
    if (!d || d.local === 1) throw new ApiError('NOT_FOUND', 'device not found', { id: deviceId });
    if (d.status === 'revoked') throw new ApiError('CONFLICT', 'that device was revoked');
    if (this.adoption && this.adoption.from === deviceId) {
      ctx.uow.run(() => sql(ctx.db, "UPDATE devices SET status = 'trusted' WHERE device_id = ?").run(deviceId));
      this.adoption.confirmed = true;
      const adopted = this.adoption.keys ? this.finishAdoption() : false;
      return { device_id: deviceId, status: 'trusted', adopted };
    }
    if (d.status !== 'trusted') ctx.uow.run(() => confirmOwnDevice(ctx, deviceId));
    for (const s of this.sessions) if (s.peerDevice === deviceId) { this.maybeSendKeys(s); s.sendHello(); }
    return { device_id: deviceId, status: 'trusted', adopted: false };
  }

  private finishAdoption(): boolean {
    const a = this.adoption!;
    adoptMember(this.ctx, a.keys!);
    this.adoption = null;
    for (const s of this.sessions) { s.peerMember = null; s.sendHello(); }
    return true;
  }

  revokeSessions(deviceId: string): void {
    for (const s of [...this.sessions]) if (s.peerDevice === deviceId) s.close();
  }

  pause(): number {
    this.paused = true;
    const n = this.sessions.size;
    for (const s of [...this.sessions]) s.close();
    return n;
  }

  status() {
    const ctx = this.ctx;
    const out = {
      device_id: keys(ctx).deviceId,
      listening: this.direct ? { port: this.direct.port, hints: this.addressHints() } : null,
      hyperswarm: !!this.swarm,
      refused: { ...this.refused },
      pairing: this.adoption ? { from_device: this.adoption.from, code: this.adoption.code, keys_received: !!this.adoption.keys, confirmed: this.adoption.confirmed } : null,
      peers: [] as unknown[],
    };
    const rows = sql(ctx.db, 'SELECT device_id, member_id, status, address FROM devices WHERE local = 0 ORDER BY created_at').all() as { device_id: string; member_id: string; status: string; address: string | null }[];
    for (const r of rows) {
      const live = [...this.sessions].filter((s) => s.peerDevice === r.device_id && !s.closed);
      const shared = this.sharedSpaces(r.device_id);
      const stored = new Map((sql(ctx.db, 'SELECT space_id, last_seen, verified_at FROM sync_peers WHERE device_id = ?').all(r.device_id) as { space_id: string; last_seen: number | null; verified_at: number | null }[]).map((x) => [x.space_id, x]));
      const spaces = shared.map((space) => {
        const st = live.map((s) => s.status(space)).find((x) => x) ?? null;
        const p = stored.get(space);
        return {
          space_id: space, behind: st?.behind ?? null, ahead: st?.ahead ?? null,
          verified_up_to_date: !!st?.verified,
          verified_at: st?.verified_at ? iso(st.verified_at) : p?.verified_at ? iso(p.verified_at) : null,
        };
      });
      const lastSeen = live.length ? Math.max(...live.map((s) => s.lastSeen)) : Math.max(0, ...[...stored.values()].map((x) => x.last_seen ?? 0));
      out.peers.push({
        device_id: r.device_id, member_id: r.member_id, status: r.status, connected: live.length > 0,
        transport: live[0]?.opts.transport ?? null, last_seen: lastSeen ? iso(lastSeen) : null, spaces,
      });
    }
    return out;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.dialTimer) clearInterval(this.dialTimer);
    for (const s of [...this.sessions]) s.close();
    if (this.ctx.onSyncAppend) this.ctx.onSyncAppend = undefined;
    await this.direct?.close();
    await this.swarm?.close();
    this.direct = null;
    this.swarm = null;
  }
}

