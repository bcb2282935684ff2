import type { Role, Space, SpaceKind } from '../../contracts/types';
import type { Ctx } from '../app/context';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { emit } from '../events/envelope';
import { capsOf } from '../policy/engine';
import { openText, sealText } from '../vault/local-meta';
import { getMember } from '../members/members';
import { epochKey, sealEpochTo, startEpoch } from './epoch-keys';
import { writeSpaceDoc } from './space-doc';
import { sql } from '../store/statements';

interface SpaceRow { space_id: string; kind: SpaceKind; epoch: number; name_nonce: Buffer; name_ct: Buffer; created_at: number }

function slugify(name: string): string {
  const s = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return s || 'space';
}

export function createSpace(ctx: Ctx, actor: string, input: { kind: SpaceKind; name: string; slug?: string }): Space {
  let slug = input.slug ?? slugify(input.name);
  if (!input.slug) {
    // derive a free slug from the name; an explicit slug that is taken is a conflict
    for (let i = 2; sql(ctx.db, 'SELECT 1 FROM spaces WHERE space_id = ?').get(`${input.kind}:${slug}`); i++) slug = `${slugify(input.name)}-${i}`;
  }
  const spaceId = `${input.kind}:${slug}`;
  if (sql(ctx.db, 'SELECT 1 FROM spaces WHERE space_id = ?').get(spaceId)) throw new ApiError('CONFLICT', 'a space with that id exists', { space_id: spaceId });
  ctx.uow.run(() => {
    const now = ctx.clock.now();
    const n = sealText(ctx, 'space|' + spaceId, input.name);
    sql(ctx.db, 'INSERT INTO spaces (space_id, kind, epoch, name_nonce, name_ct, created_by, created_at) VALUES (?, ?, 1, ?, ?, ?, ?)')
      .run(spaceId, input.kind, n.nonce, n.ciphertext, actor, now);
    sql(ctx.db, 'INSERT INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?)').run(spaceId, actor, 'guardian', now);
    startEpoch(ctx, spaceId, 1, [actor]);
    writeSpaceDoc(ctx, spaceId, 1, (info, members) => {
      info.set('kind', input.kind);
      info.set('name', input.name);
      info.set('epoch', 1);
      members.set(actor, 'guardian');
    });
    const caps = capsOf('guardian');
    emit(ctx, { topic: 'SPACE_CREATED', payload: { kind: input.kind, epoch: 1 }, actor: { member_id: actor, caps }, space_id: spaceId });
    emit(ctx, { topic: 'KEY_ROTATED', payload: { key_id: `epoch:${spaceId}:1`, epoch: 1 }, actor: { member_id: actor, caps }, space_id: spaceId });
    emit(ctx, { topic: 'USER_ROLE_ASSIGNED', payload: { member_id: actor, role: 'guardian' }, actor: { member_id: actor, caps }, space_id: spaceId, audit: true });
  });
  return getSpace(ctx, spaceId, actor);
}

export function spaceRow(ctx: Ctx, spaceId: string): SpaceRow {
  const r = sql(ctx.db, 'SELECT * FROM spaces WHERE space_id = ?').get(spaceId) as SpaceRow | undefined;
  if (!r) throw notFound('space', spaceId);
  return r;
}

export function roleOf(ctx: Ctx, spaceId: string, memberId: string): Role | null {
  const r = sql(ctx.db, 'SELECT role FROM space_members WHERE space_id = ? AND member_id = ?').get(spaceId, memberId) as { role: Role } | undefined;
  return r?.role ?? null;
}

export function spaceMemberIds(ctx: Ctx, spaceId: string): string[] {
  return (sql(ctx.db, 'SELECT member_id FROM space_members WHERE space_id = ?').all(spaceId) as { member_id: string }[]).map((r) => r.member_id);
}

export function getSpace(ctx: Ctx, spaceId: string, actor: string): Space {
  const r = spaceRow(ctx, spaceId);
  const myRole = roleOf(ctx, spaceId, actor);
  if (!myRole) throw notFound('space', spaceId); // spaces you are not in do not exist for you
  return toSpace(ctx, r, myRole);
}

function toSpace(ctx: Ctx, r: SpaceRow, myRole: Role | null): Space {
  const members = (sql(ctx.db, 'SELECT member_id, role FROM space_members WHERE space_id = ? ORDER BY added_at').all(r.space_id) as { member_id: string; role: Role }[])
    .map((m) => ({ member_id: m.member_id, name: getMember(ctx, m.member_id).name, role: m.role, caps: capsOf(m.role) }));
  const count = (sql(ctx.db, 'SELECT COUNT(*) AS n FROM memories WHERE space_id = ? AND deleted_at IS NULL').get(r.space_id) as { n: number }).n;
  return {
    space_id: r.space_id, kind: r.kind, name: openText(ctx, 'space|' + r.space_id, { nonce: r.name_nonce, ciphertext: r.name_ct }),
    epoch: r.epoch, created_at: iso(r.created_at), members, my_role: myRole, memory_count: count,
  };
}

export function listSpaces(ctx: Ctx, actor: string): Space[] {
  const rows = sql(ctx.db, `SELECT s.*, m.role FROM spaces s JOIN space_members m ON m.space_id = s.space_id AND m.member_id = ? ORDER BY s.created_at`).all(actor) as (SpaceRow & { role: Role })[];
  return rows.map((r) => toSpace(ctx, r, r.role));
}

/** Gives a member a role; a new member gets the current epoch key sealed to them. */
export function setMemberRole(ctx: Ctx, actor: string, spaceId: string, memberId: string, role: Role): Space {
  const r = spaceRow(ctx, spaceId);
  getMember(ctx, memberId);
  ctx.uow.run(() => {
    const existing = roleOf(ctx, spaceId, memberId);
    sql(ctx.db, 'INSERT INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?) ON CONFLICT(space_id, member_id) DO UPDATE SET role = excluded.role')
      .run(spaceId, memberId, role, ctx.clock.now());
    if (!existing) sealEpochTo(ctx, spaceId, r.epoch, epochKey(ctx, spaceId, r.epoch), memberId);
    writeSpaceDoc(ctx, spaceId, r.epoch, (_info, members) => members.set(memberId, role));
    const caps = capsOf(roleOf(ctx, spaceId, actor));
    if (!existing) emit(ctx, { topic: 'USER_SPACE_ACCESS_GRANTED', payload: { member_id: memberId, role, epoch: r.epoch }, actor: { member_id: actor, caps }, space_id: spaceId, audit: true });
    emit(ctx, { topic: 'USER_ROLE_ASSIGNED', payload: { member_id: memberId, role }, actor: { member_id: actor, caps }, space_id: spaceId, audit: true });
  });
  return getSpace(ctx, spaceId, actor);
}
