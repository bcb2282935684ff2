import { createLocalMember, listMembers } from '../../members/members';
import type { HandlersOf } from '../handler';

export const memberHandlers: HandlersOf<'member'> = {
  'member.list': ({ ctx }) => ({ members: listMembers(ctx) }),
  // only the vault owner adds profiles: the router decided (profile.create is an owner action)
  'member.create': ({ ctx }, p) => ({ member: createLocalMember(ctx, p.name) }),
};
