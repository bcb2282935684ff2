import type { Handlers } from '../handler';
import { createSpace, getSpace, listSpaces, roleOf, setMemberRole, spaceRow } from '../../spaces/spaces';
import { decide, enforce } from '../../policy/engine';
import { keys } from '../../app/context';
import { undoWindowSeconds } from '../../settings/settings';

export const spaceHandlers: Pick<Handlers, 'space.create' | 'space.list' | 'space.get' | 'space.addMember'> = {
  'space.create': ({ ctx, actor }, p) => ({ space: createSpace(ctx, actor, p) }),
  'space.list': ({ ctx, actor }) => ({ spaces: listSpaces(ctx, actor) }),
  'space.get': ({ ctx, actor }, p) => ({ space: getSpace(ctx, p.space_id, actor) }),
  'space.addMember': ({ ctx, actor }, p) => {
    spaceRow(ctx, p.space_id);
    enforce(decide({ action: 'space.admin', actor: { member_id: actor, role: roleOf(ctx, p.space_id, actor) }, band: 'GREEN', device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx) }));
    return { space: setMemberRole(ctx, actor, p.space_id, p.member_id, p.role) };
  },
};
