import type { Role, SpaceKind } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { memberPublic, upsertRemoteMember } from '../members/members';
import { toDeviceInfo, trustedDevicesOf, upsertRemoteDevice } from '../members/devices';
import type { DeviceInfo } from '../members/device-cert';
import { SPACE_ID, spaceKindOf } from '../shared/space-id';
import { storedSpaceName } from './space-name';
import { spaceMembersTable } from '../store/tables/spaces';
import { forgetEpochKeys } from './epoch-keys';
import { ensureSpaceRow } from './materialise';
import { spaceExists, spaceRow } from './spaces';

/** A space as one device describes it to another it trusts (own devices, a newly joined member). */
export interface Roster {
  space_id: string; kind: SpaceKind; epoch: number; name: string; created_by: string;
  members: { member_id: string; role: Role; name: string; ed25519: string; x25519: string }[];
  devices: DeviceInfo[];
}


/** How this device sees a space: what an own device or a new member needs before the log arrives. */
export function buildRoster(ctx: Ctx, space: string): Roster {
  const s = spaceRow(ctx, space);
  const members = spaceMembersTable.list(ctx.db, space).map((m) => ({ ...memberPublic(ctx, m.member_id), role: m.role }));
  const devices = trustedDevicesOf(ctx, members.map((m) => m.member_id)).map(toDeviceInfo);
  return { space_id: space, kind: spaceKindOf(space), epoch: s.epoch, name: storedSpaceName(ctx, s), created_by: s.created_by, members, devices };
}

/**
 * Applies rosters from a trusted source (own device, or the inviter of a join). A roster comes
 * before the log, and only for a space this device does not hold yet: once it does, the space
 * document settles who is in it. A roster is a snapshot of when it was sent: an own device that
 * was offline through a removal still lists the removed member, and adding them back as absent
 * made them a member here again, able to start the epoch the others then wrote under (a review
 * at stop 32). Returns whether a space was new.
 */
export function applyRoster(ctx: Ctx, rosters: Roster[], fromDevice: string): boolean {
  let added = false;
  const me = keys(ctx);
  for (const r of rosters) {
    if (!r || typeof r.space_id !== 'string' || !SPACE_ID.test(r.space_id) || spaceExists(ctx, r.space_id)) continue;
    for (const m of r.members ?? []) if (m.member_id !== me.memberId) upsertRemoteMember(ctx, m);
    for (const d of r.devices ?? []) if (d.device_id !== me.deviceId) upsertRemoteDevice(ctx, d, 'trusted');
    ensureSpaceRow(ctx, r.space_id, 1, r.name, String(r.created_by ?? me.memberId));
    added = true;
    const now = ctx.clock.now();
    for (const m of r.members ?? []) spaceMembersTable.addIfAbsent(ctx.db, r.space_id, m.member_id, m.role, now);
    forgetEpochKeys(ctx, r.space_id);
  }
  if (added) ctx.log.info('spaces learnt from a peer', { from: fromDevice, spaces: rosters.length });
  return added;
}
