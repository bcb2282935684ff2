import type * as Y from 'yjs';
import type { Role } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, capsOf, enforce } from '../policy/authorize';
import { ApiError } from '../shared/errors';
import { keys } from '../context/ctx';
import { upsertRemoteMember } from '../members/members';
import { devicesOfMember, memberKeyExposed, sealTargetsOf, upsertRemoteDevice } from '../members/devices';
import type { DeviceInfo } from '../members/device-cert';
import { spaceMembersTable, spacesTable } from '../store/tables/spaces';
import { epochKey, epochKeyId, forgetEpochKeys, hasEpochKey, sealEpochTo, startEpoch } from './epoch-keys';
import { writeSpaceDoc } from './space-doc';
import { roleOf, spaceMemberIds, spaceRow } from './spaces';
import { undoWindowSeconds } from '../settings/settings';

/** A member's public identity, as a join carries it. */
export interface MemberPublic { member_id: string; name: string; ed25519: string; x25519: string }

/**
 * The inviter's side of space.join (inside a unit of work): the joiner's member keys and
 * device are recorded, the member gets the role, the current epoch key is sealed to them,
 * and the space document says so for every other device.
 */
export function addJoinedMember(ctx: Ctx, inviter: string, space: string, role: Role, m: MemberPublic, d: DeviceInfo): void {
  const r = spaceRow(ctx, space);
  // the invite was made by an administrator: they must still be one when it is used
  enforce(authorize({ action: 'space.admin', actor: { member_id: inviter, role: roleOf(ctx, space, inviter) }, device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx) }));
  if (roleOf(ctx, space, m.member_id)) throw new ApiError('CONFLICT', 'that member is already in the space');
  upsertRemoteMember(ctx, m);
  upsertRemoteDevice(ctx, d, 'trusted');
  spaceMembersTable.putRole(ctx.db, space, m.member_id, role, ctx.clock.now());
  forgetEpochKeys(ctx, space);
  sealEpochTo(ctx, space, r.epoch, epochKey(ctx, space, r.epoch), m.member_id);
  writeSpaceDoc(ctx, space, r.epoch, (_info, members, doc) => {
    members.set(m.member_id, role);
    doc.getMap('member_keys').set(m.member_id, { ed25519: m.ed25519, x25519: m.x25519, name: m.name });
    doc.getMap('devices').set(d.device_id, d);
  });
  const caps = capsOf(roleOf(ctx, space, inviter));
  emit(ctx, { topic: 'USER_SPACE_ACCESS_GRANTED', payload: { member_id: m.member_id, role, epoch: r.epoch }, actor: { member_id: inviter, caps }, space_id: space, audit: true });
  emit(ctx, { topic: 'USER_ROLE_ASSIGNED', payload: { member_id: m.member_id, role }, actor: { member_id: inviter, caps }, space_id: space, audit: true });
}

/**
 * Starts a new epoch sealed only to the space's current members; the old key is chained under
 * the new one (history stays readable to those who stay). Inside a unit of work.
 */
export function rotateEpoch(ctx: Ctx, actor: string, space: string, change: (members: Y.Map<string>, doc: Y.Doc) => void = () => {}): number {
  const r = spaceRow(ctx, space);
  // past an epoch someone else started and sealed to this device: a member may start the next
  // epoch (their own device's revocation, authorize.ts allows the next one only), and a key of
  // theirs for it could be the one everyone writes under when this rotation
  // is the one that removes them (where they sealed it to this device too: else originRank ranks it
  // last once they are out). An epoch this device holds no key of cannot be chained from.
  let next = r.epoch + 1;
  while (next <= r.epoch + 2 && hasEpochKey(ctx, space, next)) next++;
  // a member whose key a revoked device still holds gets the new key on their remaining devices only
  const members = spaceMemberIds(ctx, space);
  const exposed = members.filter((m) => memberKeyExposed(ctx, m));
  startEpoch(ctx, space, next, members.filter((m) => !exposed.includes(m)), exposed.flatMap((m) => sealTargetsOf(ctx, m)));
  spacesTable.setEpoch(ctx.db, next, space);
  writeSpaceDoc(ctx, space, next, (info, members, doc) => { info.set('epoch', next); change(members, doc); });
  emit(ctx, { topic: 'KEY_ROTATED', payload: { key_id: epochKeyId(space, next), epoch: next }, actor: { member_id: actor, caps: capsOf(roleOf(ctx, space, actor)) }, space_id: space, audit: true });
  return next;
}

/** The committed effect of a staged member removal: out of the space, and a new epoch without them. */
export function removeMemberNow(ctx: Ctx, actor: string, space: string, memberId: string): void {
  if (!roleOf(ctx, space, memberId)) throw new ApiError('CONFLICT', 'that member is no longer in the space');
  spaceMembersTable.remove(ctx.db, space, memberId);
  forgetEpochKeys(ctx, space);
  const theirDevices = devicesOfMember(ctx, memberId).map((d) => d.device_id);
  rotateEpoch(ctx, actor, space, (members, doc) => {
    members.delete(memberId);
    for (const d of theirDevices) doc.getMap('devices').delete(d);
  });
}
