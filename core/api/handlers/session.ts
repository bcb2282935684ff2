import { getMember } from '../../members/members';
import { switchProfile } from '../../members/profiles';
import type { HandlersOf } from '../handler';

export const sessionHandlers: HandlersOf<'session'> = {
  'session.switchProfile': ({ ctx, actor, session }, p) => switchProfile(ctx, actor, session, p.member_id, p.pin),
  'session.current': ({ ctx, actor, session }) => ({ member: getMember(ctx, actor), bound: !!session?.member_id }),
};
