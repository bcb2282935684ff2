import type { Envelope, Role } from '../../contracts/types';
import { policyDocument } from './policy-document';

/** Who looks at the event log: their id, whether they own the vault, their role in each space. */
export interface EventViewer { member_id: string; owner: boolean; roles: ReadonlyMap<string, Role> }

/**
 * Whether a viewer may see an event (events.list, audit.list). An event of a space needs a role
 * there that reads its band; RED and BLACK events (who opened, shared or shredded what) are
 * only their actor's; events of no space (the vault's own: unlock, devices, settings) are the
 * owner's, and each member's own.
 */
export function eventVisibleTo(env: Pick<Envelope, 'space_id' | 'band' | 'actor'>, viewer: EventViewer): boolean {
  const own = env.actor?.member_id === viewer.member_id;
  if (!env.space_id) return own || viewer.owner;
  const role = viewer.roles.get(env.space_id);
  if (!role) return false;
  const p = policyDocument();
  if (!p.roles[role].bands.includes(env.band) || !p.roles[role].caps.includes('RECALL')) return false;
  if (p.bands[env.band].readable_by !== 'members') return own;
  return true;
}
