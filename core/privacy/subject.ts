import { keys, type Ctx } from '../context/ctx';
import { authorize, enforce } from '../policy/authorize';
import { undoWindowSeconds } from '../settings/settings';

/**
 * Whether the actor may act on a person's data (export, erase): the person themself, or the
 * vault owner for a profile it holds. An export that asks for BLACK memories also needs the
 * passphrase again.
 */
export function authorizeForSubject(ctx: Ctx, actor: string, subject: string, action: 'privacy.export' | 'privacy.erase', extra: { include_black?: boolean; reauth?: boolean } = {}): void {
  enforce(authorize({
    action, actor: { member_id: actor, role: null, owner: actor === keys(ctx).memberId }, subject_id: subject, ...extra,
    device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx),
  }));
}
