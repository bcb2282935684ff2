import type { Role } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { invitesTable, type InviteKind, type InviteRow } from '../store/tables/invites';
import { openText, sealText } from './local-meta';

/** An invite as this device keeps it: what it says, and its one-time secret (sealed at rest). */
export interface StoredInvite { id: string; kind: InviteKind; secret: string; space_id: string | null; role: Role | null; hints: string[]; created_by: string; expires_at: number }

export type InviteStatus = 'open' | 'used' | 'expired' | 'revoked';

const statusOf = (r: InviteRow, now: number): InviteStatus => (r.revoked_at ? 'revoked' : r.used_at ? 'used' : r.expires_at <= now ? 'expired' : 'open');
const secretOf = (ctx: Ctx, r: InviteRow): string => openText(ctx, 'invite|' + r.invite_id, { nonce: r.secret_nonce, ciphertext: r.secret_ct });
const toStored = (ctx: Ctx, r: InviteRow): StoredInvite => ({
  id: r.invite_id, kind: r.kind, secret: secretOf(ctx, r), space_id: r.space_id, role: r.role,
  hints: JSON.parse(r.hints) as string[], created_by: r.created_by, expires_at: r.expires_at,
});

/** Records an invite this device made (inside a unit of work of its own). */
export function recordInvite(ctx: Ctx, inv: Omit<StoredInvite, 'expires_at'> & { expires_at: number }): void {
  keys(ctx);
  const s = sealText(ctx, 'invite|' + inv.id, inv.secret);
  ctx.uow.run(() => invitesTable.insert(ctx.db, inv.id, inv.kind, s.nonce, s.ciphertext, inv.space_id, inv.role, JSON.stringify(inv.hints), inv.created_by, ctx.clock.now(), inv.expires_at));
}

/** An invite that may still be used, or null (unknown, used, expired, revoked, or of another kind). */
export function openInvite(ctx: Ctx, id: string, kind: InviteKind): StoredInvite | null {
  const r = invitesTable.find(ctx.db, id);
  if (!r || r.kind !== kind || statusOf(r, ctx.clock.now()) !== 'open') return null;
  return toStored(ctx, r);
}

/** Uses an invite up (inside the caller's unit of work): false when someone else took it first. */
export const takeInvite = (ctx: Ctx, id: string, by: string): boolean => invitesTable.take(ctx.db, id, by, ctx.clock.now());

/** Invites still open: what a restarted host announces again. */
export const openInvites = (ctx: Ctx): StoredInvite[] => invitesTable.open(ctx.db, ctx.clock.now()).map((r) => toStored(ctx, r));

/** invite.list: every invite this device made, newest first (never the secrets). */
export function listInvites(ctx: Ctx) {
  const now = ctx.clock.now();
  return invitesTable.list(ctx.db).map((r) => ({
    invite_id: r.invite_id, kind: r.kind, space_id: r.space_id, role: r.role, created_by: r.created_by,
    created_at: iso(r.created_at), expires_at: iso(r.expires_at), status: statusOf(r, now),
    used_by: r.used_by,
  }));
}

/** invite.revoke: an open invite can no longer be used. */
export function revokeInvite(ctx: Ctx, id: string): { invite_id: string; status: 'revoked' } {
  const r = invitesTable.find(ctx.db, id);
  if (!r) throw notFound('invite', id);
  const st = statusOf(r, ctx.clock.now());
  if (st !== 'open') throw new ApiError('CONFLICT', `the invite is already ${st}`, { invite_id: id });
  ctx.uow.run(() => invitesTable.revoke(ctx.db, ctx.clock.now(), id));
  return { invite_id: id, status: 'revoked' };
}
