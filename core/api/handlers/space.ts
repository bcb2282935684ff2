import { authorize, enforce } from '../../policy/authorize';
import { ApiError } from '../../shared/errors';
import { undoWindowSeconds } from '../../settings/settings';
import { createSpace, getSpace, listSpaces, renameSpace, roleOf, setMemberRole, spaceRow } from '../../spaces/spaces';
import { stageAction } from '../../undo/undo';
import { keys } from '../../context/ctx';
import type { CallContext, HandlersOf } from '../handler';
import { requireSync } from './require-sync';

/** space.admin, decided for the space the call names. */
function requireAdmin({ ctx, actor }: CallContext, space: string): void {
  spaceRow(ctx, space);
  enforce(authorize({ action: 'space.admin', actor: { member_id: actor, role: roleOf(ctx, space, actor) }, device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx) }));
}

export const spaceHandlers: HandlersOf<'space'> = {
  'space.create': ({ ctx, actor }, p) => ({ space: createSpace(ctx, actor, p) }),
  'space.list': ({ ctx, actor }) => ({ spaces: listSpaces(ctx, actor) }),
  // a space the actor is not in does not exist for them (NOT_FOUND, not FORBIDDEN)
  'space.get': ({ ctx, actor }, p) => ({ space: getSpace(ctx, p.space_id, actor) }),
  'space.addMember': (c, p) => {
    requireAdmin(c, p.space_id);
    return { space: setMemberRole(c.ctx, c.actor, p.space_id, p.member_id, p.role) };
  },
  'space.rename': (c, p) => {
    requireAdmin(c, p.space_id);
    return { space: renameSpace(c.ctx, c.actor, p.space_id, p.name) };
  },
  'space.invite': (c, p) => {
    requireAdmin(c, p.space_id);
    return requireSync(c).spaceInvite(c.actor, p.space_id, p.role);
  },
  'space.join': async (c, p) => {
    const sync = requireSync(c);
    const r = await sync.join(p.invite);
    sync.announce();
    return r;
  },
  'space.removeMember': (c, p) => {
    const { ctx, actor } = c;
    requireAdmin(c, p.space_id);
    if (!roleOf(ctx, p.space_id, p.member_id)) throw new ApiError('NOT_FOUND', 'that member is not in the space', { id: p.member_id });
    if (p.member_id === actor) throw new ApiError('CONFLICT', 'a guardian does not remove themselves');
    const pending = ctx.uow.run(() => stageAction(ctx, {
      kind: 'remove_member', actor, space_id: p.space_id, memory_id: null, band: 'GREEN', args: { member_id: p.member_id },
      summary: `Remove a member from ${p.space_id}`,
    }));
    return { status: 'staged' as const, pending };
  },
};
