import { timingSafeEqual } from 'node:crypto';
import type { Member } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { b64, fromB64, newKdfParams, passphraseKey, wipe } from '../crypto/sodium';
import { authorize, enforce } from '../policy/authorize';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { membersTable, type MemberRow } from '../store/tables/members';
import { delayAfter } from '../vault/unlock-guard';
import { getMember } from './members';

/**
 * Profiles on a shared computer: a PIN per local profile, and what a host session asks before it
 * binds to one. A PIN is a guard between the people who share this computer, not encryption:
 * every profile's keys stay under the vault's master key. Only an Argon2id hash is stored, and
 * wrong PINs back off exactly like the vault unlock (a few free attempts, then 1 s, 2 s, 4 s …).
 */

/** What a door that keeps sessions offers a call: whom the session is bound to, and how to rebind it. */
export interface SessionPort {
  /** the profile this session is bound to; null: not bound (the host's login token) */
  readonly member_id: string | null;
  /** binds the session to a profile; answers the new session token (the old one stops working) */
  switchTo(memberId: string): string;
}

interface PinHash { v: 1; salt: string; opslimit: number; memlimit: number; hash: string }

function hashPin(pin: string): string {
  const p = newKdfParams();
  const key = passphraseKey(pin, p);
  try {
    const h: PinHash = { v: 1, salt: b64(p.salt), opslimit: p.opslimit, memlimit: p.memlimit, hash: b64(key) };
    return JSON.stringify(h);
  } finally { wipe(key); }
}

function pinMatches(stored: string, pin: string): boolean {
  const h = JSON.parse(stored) as PinHash;
  const key = passphraseKey(pin, { salt: fromB64(h.salt), opslimit: h.opslimit, memlimit: h.memlimit });
  try {
    const want = fromB64(h.hash);
    return want.length === key.length && timingSafeEqual(want, key);
  } finally { wipe(key); }
}

function localRow(ctx: Ctx, memberId: string): MemberRow {
  const r = membersTable.find(ctx.db, memberId);
  if (!r || r.local !== 1) throw notFound('profile', memberId);
  return r;
}

/** member.setPin: the person themself or the vault owner (the policy decides), a PIN or null to clear it. */
export function setPin(ctx: Ctx, actor: string, memberId: string, pin: string | null): Member {
  const k = keys(ctx);
  enforce(authorize({
    action: 'profile.pin', actor: { member_id: actor, role: null, local: k.members.has(actor), owner: actor === k.memberId },
    subject_id: memberId, device_id: k.deviceId, undoWindowSeconds: 0,
  }));
  localRow(ctx, memberId);
  const hash = pin === null ? null : hashPin(pin);
  ctx.uow.run(() => membersTable.setPin(ctx.db, hash, memberId));
  return getMember(ctx, memberId);
}

/** Checks a profile's PIN (none set: nothing to check). Wrong: BAD_CREDENTIALS; too many: RATE_LIMITED, untried. */
export function checkPin(ctx: Ctx, memberId: string, pin: string | undefined): void {
  const r = localRow(ctx, memberId);
  if (!r.pin_hash) return;
  const now = ctx.clock.now();
  if (r.pin_not_before && now < r.pin_not_before) {
    throw new ApiError('RATE_LIMITED', `too many wrong PINs: try again in ${Math.ceil((r.pin_not_before - now) / 1000)} s`, {
      retry_at: iso(r.pin_not_before), failed_attempts: r.pin_failed,
    });
  }
  if (pin !== undefined && pinMatches(r.pin_hash, pin)) {
    if (r.pin_failed || r.pin_not_before) ctx.uow.run(() => membersTable.setPinBackoff(ctx.db, 0, null, memberId));
    return;
  }
  if (pin === undefined) throw new ApiError('BAD_CREDENTIALS', 'this profile has a PIN: enter it to switch', { pin_required: true });
  const failures = r.pin_failed + 1;
  const wait = delayAfter(failures);
  const notBefore = wait ? now + wait : null;
  ctx.uow.run(() => membersTable.setPinBackoff(ctx.db, failures, notBefore, memberId));
  ctx.metrics.inc('memoryos_pin_failures_total');
  throw new ApiError('BAD_CREDENTIALS', 'wrong PIN', { pin_required: true, failed_attempts: failures, retry_at: notBefore ? iso(notBefore) : null });
}

/**
 * session.switchProfile: the target must be a profile whose keys this vault holds (the policy
 * decides, with the target as the one who will act); its PIN, unless the session already acts as it.
 */
export function switchProfile(ctx: Ctx, actor: string, session: SessionPort | null, memberId: string, pin: string | undefined): { member: Member; session_token: string | null } {
  const k = keys(ctx);
  enforce(authorize({
    action: 'profile.switch', actor: { member_id: memberId, role: null, local: k.members.has(memberId), owner: memberId === k.memberId },
    device_id: k.deviceId, undoWindowSeconds: 0,
  }));
  if (!session) throw new ApiError('INVALID_INPUT', 'this door keeps no sessions: profiles switch in the app served by the local host', { door_has_sessions: false });
  if (!(session.member_id === memberId || (session.member_id === null && actor === memberId))) checkPin(ctx, memberId, pin);
  const token = session.switchTo(memberId);
  return { member: getMember(ctx, memberId), session_token: token };
}
