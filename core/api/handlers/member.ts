import { createLocalMember, listMembers } from '../../members/members';
import { setPin } from '../../members/profiles';
import type { HandlersOf } from '../handler';

export const memberHandlers: HandlersOf<'member'> = {
  'member.list': ({ ctx }) => ({ members: listMembers(ctx) }),
  // only the vault owner adds profiles: the router decided (profile.create is an owner action)
  'member.create': ({ ctx }, p) => ({ member: createLocalMember(ctx, p.name) }),
  // the person themself or the vault owner: the policy decides with the subject named
  'member.setPin': ({ ctx, actor }, p) => ({ member: setPin(ctx, actor, p.member_id, p.pin) }),
};
