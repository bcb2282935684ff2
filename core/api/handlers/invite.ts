import { listInvites, revokeInvite } from '../../vault/invites';
import type { HandlersOf } from '../handler';

// the vault owner's: the router decided (invite.manage is an owner action)
export const inviteHandlers: HandlersOf<'invite'> = {
  'invite.list': ({ ctx }) => ({ invites: listInvites(ctx) }),
  'invite.revoke': ({ ctx }, p) => revokeInvite(ctx, p.invite_id),
};
