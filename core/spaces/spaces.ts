import type { Role, Space, SpaceKind } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { emit } from '../events/emit';
import { capsOf } from '../policy/authorize';
import { sealText } from '../vault/local-meta';
import { getMember } from '../members/members';
import { memoriesTable } from '../store/tables/memories';
import { spaceMembersTable, spacesTable, type SpaceRow } from '../store/tables/spaces';
import { epochKey, forgetEpochKeys, sealEpochTo, startEpoch } from './epoch-keys';
import { writeSpaceDoc } from './space-doc';
import { storedSpaceName } from './space-name';
import { spaceKindOf } from '../shared/space-id';

export type { SpaceRow };

function slugify(name: string): string {
  const s = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return s || 'space';
}

export const spaceExists = (ctx: Ctx, spaceId: string): boolean => !!spacesTable.find(ctx.db, spaceId);

export function createSpace(ctx: Ctx, actor: string, input: { kind: SpaceKind; name: string; slug?: string }): Space {
  let slug = input.slug ?? slugify(input.name);
  if (!input.slug) {
    // derive a free slug from the name; an explicit slug that is taken is a conflict
    for (let i = 2; spaceExists(ctx, `${input.kind}:${slug}`); i++) slug = `${slugify(input.name)}-${i}`;
  }
  const spaceId = `${input.kind}:${slug}`;
  if (spaceExists(ctx, spaceId)) throw new ApiError('CONFLICT', 'a space with that id exists', { space_id: spaceId });
  ctx.uow.run(() => {
    const now = ctx.clock.now();
    const n = sealText(ctx, 'space|' + spaceId, input.name);
    spacesTable.insert(ctx.db, spaceId, input.kind, 1, n.nonce, n.ciphertext, actor, now);
    spaceMembersTable.putRole(ctx.db, spaceId, actor, 'guardian', now);
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
  const r = spacesTable.find(ctx.db, spaceId);
  if (!r) throw notFound('space', spaceId);
  return r;
}

export function roleOf(ctx: Ctx, spaceId: string, memberId: string): Role | null {
  return spaceMembersTable.roleOf(ctx.db, spaceId, memberId)?.role ?? null;
}

export function spaceMemberIds(ctx: Ctx, spaceId: string): string[] {
  return spaceMembersTable.list(ctx.db, spaceId).map((r) => r.member_id);
}

/** The spaces a member belongs to, with the role there, by space id. */
export const membershipsOf = (ctx: Ctx, memberId: string): { space_id: string; role: Role }[] =>
  spaceMembersTable.ofMember(ctx.db, memberId).map((r) => ({ space_id: r.space_id, role: r.role }));

/** Spaces two members are both in. */
export const sharedSpaceIds = (ctx: Ctx, a: string, b: string): string[] => spaceMembersTable.shared(ctx.db, a, b).map((r) => r.space_id);

/** Whether `guardian` guards a space that `member` is in. */
export const guardsAnySpaceOf = (ctx: Ctx, guardian: string, member: string): boolean =>
  sharedSpaceIds(ctx, guardian, member).some((s) => roleOf(ctx, s, guardian) === 'guardian');

export function getSpace(ctx: Ctx, spaceId: string, actor: string): Space {
  const r = spaceRow(ctx, spaceId);
  const myRole = roleOf(ctx, spaceId, actor);
  if (!myRole) throw notFound('space', spaceId); // spaces you are not in do not exist for you
  return toSpace(ctx, r, myRole);
}

function toSpace(ctx: Ctx, r: SpaceRow, myRole: Role | null): Space {
  const members = spaceMembersTable.list(ctx.db, r.space_id)
    .map((m) => ({ member_id: m.member_id, name: getMember(ctx, m.member_id).name, role: m.role, caps: capsOf(m.role) }));
  return {
    space_id: r.space_id, kind: spaceKindOf(r.space_id), name: storedSpaceName(ctx, r),
    epoch: r.epoch, created_at: iso(r.created_at), members, my_role: myRole, memory_count: memoriesTable.countLive(ctx.db, r.space_id),
  };
}

export function listSpaces(ctx: Ctx, actor: string): Space[] {
  return spacesTable.ofMember(ctx.db, actor).map((r) => toSpace(ctx, r, r.role));
}

/** Gives a member a role; a new member gets the current epoch key sealed to them. */
export function setMemberRole(ctx: Ctx, actor: string, spaceId: string, memberId: string, role: Role): Space {
  const r = spaceRow(ctx, spaceId);
  getMember(ctx, memberId);
  ctx.uow.run(() => {
    const existing = roleOf(ctx, spaceId, memberId);
    spaceMembersTable.putRole(ctx.db, spaceId, memberId, role, ctx.clock.now());
    forgetEpochKeys(ctx, spaceId);
    if (!existing) sealEpochTo(ctx, spaceId, r.epoch, epochKey(ctx, spaceId, r.epoch), memberId);
    writeSpaceDoc(ctx, spaceId, r.epoch, (_info, members) => members.set(memberId, role));
    const caps = capsOf(roleOf(ctx, spaceId, actor));
    if (!existing) emit(ctx, { topic: 'USER_SPACE_ACCESS_GRANTED', payload: { member_id: memberId, role, epoch: r.epoch }, actor: { member_id: actor, caps }, space_id: spaceId, audit: true });
    emit(ctx, { topic: 'USER_ROLE_ASSIGNED', payload: { member_id: memberId, role }, actor: { member_id: actor, caps }, space_id: spaceId, audit: true });
  });
  return getSpace(ctx, spaceId, actor);
}

/** space.rename (a guardian's; the caller decided): the space document carries the name to every member's devices. */
export function renameSpace(ctx: Ctx, actor: string, spaceId: string, name: string): Space {
  const r = spaceRow(ctx, spaceId);
  ctx.uow.run(() => {
    const n = sealText(ctx, 'space|' + spaceId, name);
    spacesTable.setName(ctx.db, n.nonce, n.ciphertext, spaceId);
    writeSpaceDoc(ctx, spaceId, r.epoch, (info) => info.set('name', name));
  });
  return getSpace(ctx, spaceId, actor);
}
