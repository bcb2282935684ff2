import { randomBytes } from 'node:crypto';
import type { Role } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { b64, fromB64, seal } from '../crypto/sodium';
import { emit } from '../events/emit';
import { ApiError } from '../shared/errors';
import { iso } from '../shared/time';
import { thisDevice, verifyDeviceCert } from '../members/device-cert';
import { deviceRow, upsertRemoteDevice } from '../members/devices';
import { confirmOwnDevice, trustDevice } from '../members/device-trust';
import { memberPublic } from '../members/members';
import { countMemories } from '../memories/read-model';
import { addJoinedMember } from '../spaces/membership';
import { applyRoster, buildRoster, type Roster } from '../spaces/roster';
import { spaceExists } from '../spaces/spaces';
import { adoptMemberIdentity, type SealedMemberKeys } from '../vault/adopt-identity';
import type { FrameOf } from './frames';
import { decodeInvite, encodeInvite, pairingCode, proofOk, secretProof, topicFor, type Invite } from './invite';
import { openInvite, openInvites, recordInvite, takeInvite } from '../vault/invites';
import type { Swarm } from './ports';
import type { RefusalReason } from './receive';
import type { Intent, Session } from './session';

/** A pairing in progress on the new device: who offered, the code of this connection, the keys once they arrive. */
export interface Adoption { from: string; member_id: string; code: string; keys: SealedMemberKeys | null; confirmed: boolean }

/**
 * A pairing in progress on the offering device: the code of its connection, and the two
 * confirmations it waits for — its own person's (device.confirm) and the new device's (a
 * `confirm` frame carrying the code that device shows). Only both, with equal codes, trust it.
 */
export interface Offer { device_id: string; code: string; confirmedHere: boolean; peerCode: string | null; session: Session }

/** What pairing needs of its node. */
export interface PairingHost {
  readonly ctx: Ctx;
  readonly sessions: ReadonlySet<Session>;
  readonly swarm: Swarm | null;
  addressHints(): string[];
  connect(address: string, intent?: Intent): Promise<Session>;
  countRefusal(s: Session | null, reason: RefusalReason): void;
}

const INVITE_TTL_MS = 15 * 60_000;
const ANSWER_TIMEOUT_MS = 20_000;

/**
 * Linking a new device of the vault owner (pair) and admitting another person to a space (join),
 * on both sides: one-time invites, the proof of their secret bound to the Noise handshake, the
 * exchange of identities, and — once both people compared the codes — the member keys, sealed.
 */
export class Pairing {
  /** swarm connections expected for a pairing or join, by the remote device key */
  readonly intents = new Map<string, Intent>();
  adoption: Adoption | null = null;
  readonly offers = new Map<string, Offer>();
  private keysSent = new WeakSet<Session>();

  constructor(private readonly node: PairingHost) {}

  private get ctx(): Ctx { return this.node.ctx; }

  // ---- invites ------------------------------------------------------------------------------

  /** A new invite, recorded (it survives a restart) before it is handed out. */
  private newInvite(kind: Invite['kind'], actor: string, extra: { space_id?: string; role?: Role } = {}): Invite {
    const k = keys(this.ctx);
    const inv: Invite = {
      v: 1, kind, id: randomBytes(12).toString('base64url'), secret: randomBytes(32).toString('base64url'),
      device_id: k.deviceId, device_key: b64(k.deviceSign.publicKey), hints: this.node.addressHints(), exp: this.ctx.clock.now() + INVITE_TTL_MS, ...extra,
    };
    recordInvite(this.ctx, { id: inv.id, kind, secret: inv.secret, space_id: extra.space_id ?? null, role: extra.role ?? null, hints: inv.hints, created_by: actor, expires_at: inv.exp });
    return inv;
  }

  /** After a restart: the open invites' swarm topics are announced again. */
  async announceOpenInvites(): Promise<void> {
    if (!this.node.swarm) return;
    for (const inv of openInvites(this.ctx)) await this.node.swarm.joinTopic(topicFor('invite', inv.id, inv.secret), true);
  }

  /** Announces an invite's topic on the swarm (awaited: a joiner looking up before the announce would find nobody). */
  private async announceInvite(inv: Invite): Promise<void> {
    if (this.node.swarm) await this.node.swarm.joinTopic(topicFor('invite', inv.id, inv.secret), true);
  }

  /** Tries each address hint (direct) and the invite's swarm topic (Hyperswarm) until one answers. */
  private async reach(inv: Invite, intent: Intent): Promise<void> {
    if (this.node.swarm) {
      this.intents.set(inv.device_key, intent);
      await this.node.swarm.joinTopic(topicFor('invite', inv.id, inv.secret), false);
      return;
    }
    let lastErr: unknown = null;
    for (const h of inv.hints.slice(0, 8)) {
      try { await this.node.connect(h, intent); return; } catch (e) { lastErr = e; }
    }
    throw lastErr instanceof ApiError ? lastErr : new ApiError('BUSY', 'no address in the invite answered', { hints: inv.hints.length });
  }

  /** Runs an intent until its reply settles it, or it fails, or the other side does not answer in time. */
  private await<T>(inv: Invite, make: (settle: (v: T) => void, intentRef: { fail(e: Error): void }) => Omit<Intent, 'fail'>, slow: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const intent: Intent = {
        ...make((v) => { if (!settled) { settled = true; this.intents.delete(inv.device_key); resolve(v); } }, { fail: (e) => intent.fail(e) }),
        fail: (e) => { if (!settled) { settled = true; this.intents.delete(inv.device_key); reject(e); } },
      };
      const t = setTimeout(() => intent.fail(new ApiError('BUSY', slow)), ANSWER_TIMEOUT_MS);
      t.unref();
      this.reach(inv, intent).catch((e) => intent.fail(e));
    });
  }

  // ---- the offering / inviting side ------------------------------------------------------

  /** The invite to hand to the new device; the code to compare appears once it connects (sync.status offers). */
  async pairOffer(actor: string): Promise<{ invite: string; invite_id: string; code: null; expires_at: string }> {
    const inv = this.newInvite('pair', actor);
    await this.announceInvite(inv);
    return { invite: encodeInvite(inv), invite_id: inv.id, code: null, expires_at: iso(inv.exp) };
  }

  async spaceInvite(actor: string, space: string, role: Role): Promise<{ invite: string; invite_id: string; expires_at: string }> {
    const inv = this.newInvite('space', actor, { space_id: space, role });
    await this.announceInvite(inv);
    return { invite: encodeInvite(inv), invite_id: inv.id, expires_at: iso(inv.exp) };
  }

  onSetupRequest(s: Session, f: FrameOf<'pair'> | FrameOf<'join'>): void {
    const ctx = this.ctx;
    const refuse = (code: string, message: string) => { this.node.countRefusal(s, 'malformed'); s.sendRaw({ t: 'error', code, message }); setTimeout(() => s.close(), 50); };
    if (s.peerDevice) { refuse('CONFLICT', 'this connection is already bound to a device'); return; }
    const inv = openInvite(ctx, f.invite_id, f.t === 'pair' ? 'pair' : 'space');
    if (!inv) { refuse('UNAUTHORIZED', 'unknown, used, expired or revoked invite'); return; }
    if (!proofOk(inv.secret, s.handshakeHash, f.proof)) { refuse('UNAUTHORIZED', 'the invite secret was not proven'); return; }
    const d = f.device;
    if (d.ed25519 !== b64(s.remoteKey!)) { refuse('UNAUTHORIZED', 'the device key does not match the handshake'); return; }
    if (deviceRow(ctx, d.device_id)) { refuse('CONFLICT', 'that device is already known'); return; }
    if (f.t === 'pair') {
      const taken = ctx.uow.run(() => {
        if (!takeInvite(ctx, inv.id, d.device_id)) return false;
        upsertRemoteDevice(ctx, { ...d, member_id: keys(ctx).memberId }, 'pending');
        emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: d.device_id, state: 'added' }, actor: { member_id: keys(ctx).memberId, caps: [] }, audit: true });
        return true;
      });
      if (!taken) { refuse('UNAUTHORIZED', 'unknown, used, expired or revoked invite'); return; }
      // the code of this very connection: a relay in between would show each side its own
      this.offers.set(d.device_id, { device_id: d.device_id, code: pairingCode(s.handshakeHash), confirmedHere: false, peerCode: null, session: s });
      s.sendRaw({ t: 'pair_ok', device: thisDevice(ctx), member_id: keys(ctx).memberId });
      s.bind(d.device_id);
      return;
    }
    const m = f.member;
    if (d.member_id !== m.member_id || !verifyDeviceCert(d, fromB64(m.ed25519))) { refuse('UNAUTHORIZED', 'the device is not certified by the joining member'); return; }
    // a joiner is named as they join: refused while the invite is still theirs to use, not admitted as NO_NAME (members.ts) for the family to guess who it is
    if (!m.name) { refuse('INVALID_INPUT', 'the joining member has no name: a name is 1 to 200 characters'); return; }
    try {
      ctx.uow.run(() => {
        if (!takeInvite(ctx, inv.id, d.device_id)) throw new ApiError('UNAUTHORIZED', 'unknown, used, expired or revoked invite');
        addJoinedMember(ctx, inv.created_by, inv.space_id!, inv.role!, { ...m, name: m.name.slice(0, 200) }, d);
      });
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
    const box = new Uint8Array(d.x25519_pub);
    this.keysSent.add(s);
    s.sendRaw({ t: 'keys', member: { ...memberPublic(ctx, k.memberId), sign_sealed: b64(seal(mk.sign.privateKey, box)), box_sealed: b64(seal(mk.box.privateKey, box)) } });
  }

  // ---- the new device / joining side -----------------------------------------------------

  async pairAccept(text: string): Promise<{ device_id: string; member_id: string; code: string; status: 'pending' }> {
    const ctx = this.ctx;
    const inv = decodeInvite(text, 'pair', ctx.clock.now());
    const n = countMemories(ctx);
    if (n > 0) throw new ApiError('CONFLICT', 'only a new device can join: this vault already holds memories', { memories: n });
    if (inv.device_key === b64(keys(ctx).deviceSign.publicKey)) throw new ApiError('CONFLICT', 'that invite comes from this device');
    return this.await(inv, (settle, intent) => ({
      kind: 'pair', expectKey: Buffer.from(inv.device_key, 'base64'),
      firstFrame: (hh) => ({ t: 'pair', invite_id: inv.id, proof: secretProof(inv.secret, hh), device: thisDevice(ctx) }),
      onReply: (s, f) => {
        if (f.t !== 'pair_ok') return;
        if (f.device.ed25519 !== inv.device_key || f.device.device_id !== inv.device_id) { intent.fail(new ApiError('UNAUTHORIZED', 'the offering device answered with another identity')); return; }
        ctx.uow.run(() => upsertRemoteDevice(ctx, { ...f.device, member_id: f.member_id }, 'pending', inv.hints[0] ?? null));
        const code = pairingCode(s.handshakeHash);
        this.adoption = { from: f.device.device_id, member_id: f.member_id, code, keys: null, confirmed: false };
        s.bind(f.device.device_id);
        settle({ device_id: f.device.device_id, member_id: f.member_id, code, status: 'pending' as const });
      },
    }), 'the offering device did not answer in time');
  }

  async join(text: string): Promise<{ space_id: string; role: Role; status: 'joined' }> {
    const ctx = this.ctx;
    const inv = decodeInvite(text, 'space', ctx.clock.now());
    if (!inv.space_id || !inv.role) throw new ApiError('INVALID_INPUT', 'the invite names no space', { field: 'invite' });
    if (spaceExists(ctx, inv.space_id)) throw new ApiError('CONFLICT', 'a space with that id already exists on this device', { space_id: inv.space_id });
    const member = memberPublic(ctx, keys(ctx).memberId);
    return this.await(inv, (settle, intent) => ({
      kind: 'join', expectKey: Buffer.from(inv.device_key, 'base64'),
      firstFrame: (hh) => ({ t: 'join', invite_id: inv.id, proof: secretProof(inv.secret, hh), member, device: thisDevice(ctx) }),
      onReply: (s, f) => {
        if (f.t !== 'join_ok') return;
        if (f.roster.space_id !== inv.space_id) { intent.fail(new ApiError('UNAUTHORIZED', 'the inviter answered for another space')); return; }
        ctx.uow.run(() => applyRoster(ctx, [f.roster as Roster], inv.device_id));
        s.bind(inv.device_id);
        settle({ space_id: inv.space_id!, role: f.role, status: 'joined' as const });
      },
    }), 'the inviting device did not answer in time');
  }

  onKeys(s: Session, f: FrameOf<'keys'>): void {
    const a = this.adoption;
    // keys only after this device's person confirmed: they are the offering side's answer to it
    if (!a || !a.confirmed || !s.peerDevice || a.from !== s.peerDevice || f.member.member_id !== a.member_id) { this.node.countRefusal(s, 'malformed'); return; }
    a.keys = f.member;
    this.finishAdoption();
  }

  /**
   * device.confirm: the person compared the codes on both screens. Nothing is trusted on one
   * side's word: the new device says "confirmed, my code is …" to the offering device, which
   * trusts it — and only then sends the member keys — when its own person confirmed too and the
   * codes are equal; the new device trusts the offering one when those keys arrive.
   */
  confirm(deviceId: string): { device_id: string; status: 'trusted' | 'waiting'; adopted: boolean } {
    const ctx = this.ctx;
    const d = deviceRow(ctx, deviceId);
    if (!d || d.local === 1) throw new ApiError('NOT_FOUND', 'device not found', { id: deviceId });
    if (d.status === 'revoked') throw new ApiError('CONFLICT', 'that device was revoked');
    const a = this.adoption;
    if (a && a.from === deviceId) {
      a.confirmed = true;
      const s = [...this.node.sessions].find((x) => x.peerDevice === deviceId && !x.closed);
      if (!s) throw new ApiError('CONFLICT', 'the pairing connection was lost: pair again', { id: deviceId });
      s.sendRaw({ t: 'confirm', code: a.code });
      const adopted = a.keys ? this.finishAdoption() : false;
      return { device_id: deviceId, status: adopted ? 'trusted' : 'waiting', adopted };
    }
    if (d.status === 'trusted') return { device_id: deviceId, status: 'trusted', adopted: false };
    const offer = this.offers.get(deviceId);
    if (!offer) throw new ApiError('CONFLICT', 'no pairing with that device is in progress here (it was interrupted): pair again', { id: deviceId });
    offer.confirmedHere = true;
    return { device_id: deviceId, status: this.completeOffer(offer) ? 'trusted' : 'waiting', adopted: false };
  }

  /** The new device's person confirmed: the code it shows, over this connection. */
  onConfirm(s: Session, f: FrameOf<'confirm'>): void {
    const offer = s.peerDevice ? this.offers.get(s.peerDevice) : undefined;
    if (!offer || offer.session !== s) { this.node.countRefusal(s, 'malformed'); return; }
    offer.peerCode = f.code;
    this.completeOffer(offer);
  }

  /** Trusts the new device once both people confirmed equal codes; unequal codes end the pairing. */
  private completeOffer(offer: Offer): boolean {
    if (offer.peerCode === null) return false;
    if (offer.peerCode !== offer.code) {
      this.offers.delete(offer.device_id);
      this.node.countRefusal(offer.session, 'pair_code_mismatch');
      offer.session.sendRaw({ t: 'error', code: 'CODE_MISMATCH', message: 'the two screens showed different codes: someone may be in between; pair again' });
      setTimeout(() => offer.session.close(), 50);
      return false;
    }
    if (!offer.confirmedHere) return false;
    this.offers.delete(offer.device_id);
    this.ctx.uow.run(() => confirmOwnDevice(this.ctx, offer.device_id));
    for (const s of this.node.sessions) if (s.peerDevice === offer.device_id) { this.maybeSendKeys(s); s.sendHello(); }
    return true;
  }

  private finishAdoption(): boolean {
    const a = this.adoption!;
    // the keys arrived only because the offering device's person confirmed the same code
    this.ctx.uow.run(() => trustDevice(this.ctx, a.from));
    adoptMemberIdentity(this.ctx, a.keys!);
    this.adoption = null;
    for (const s of this.node.sessions) { s.peerMember = null; s.sendHello(); }
    return true;
  }
}

