import type { Role } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { emit } from '../events/envelope';
import { capsOf } from '../policy/engine';
import { ApiError, notFound } from '../shared/errors';
import { epochKey, epochKeyId, sealEpochTo, startEpoch } from '../spaces/epoch-keys';
import { writeSpaceDoc } from '../spaces/space-doc';
import { roleOf, spaceMemberIds, spaceRow } from '../spaces/spaces';
import { sql } from '../store/statements';
import { deviceRow, upsertRemoteDevice, type DeviceInfo } from './device-cert';
import type { MemberPublic } from './frames';
import { upsertRemoteMember } from './materialise';

/**
 * The inviter's side of space.join (inside a unit of work): the joiner's member keys and
 * device are recorded, the member gets the role, the current epoch key is sealed to them,
 * and the space document says so for every other device.
 */
export function addJoinedMember(ctx: Ctx, inviter: string, space: string, role: Role, m: MemberPublic, d: DeviceInfo): void {
  const r = spaceRow(ctx, space);
  if (roleOf(ctx, space, inviter) !== 'guardian') throw new ApiError('FORBIDDEN', 'the inviter no longer administers that space');
  if (roleOf(ctx, space, m.member_id)) throw new ApiError('CONFLICT', 'that member is already in the space');
  upsertRemoteMember(ctx, m);
  upsertRemoteDevice(ctx, d, 'trusted');
  const now = ctx.clock.now();
  sql(ctx.db, 'INSERT INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?)').run(space, m.member_id, role, now);
  sealEpochTo(ctx, space, r.epoch, epochKey(ctx, space, r.epoch), m.member_id);
  writeSpaceDoc(ctx, space, r.epoch, (_info, members, doc) => {
    members.set(m.member_id, role);
    doc.getMap('member_keys').set(m.member_id, { ed25519: m.ed25519, x25519: m.x25519, name: m.name });
    doc.getMap('devices').set(d.device_id, d);
  });
  const caps = capsOf('guardian');
  emit(ctx, { topic: 'USER_SPACE_ACCESS_GRANTED', payload: { member_id: m.member_id, role, epoch: r.epoch }, actor: { member_id: inviter, caps }, space_id: space, audit: true });
  emit(ctx, { topic: 'USER_ROLE_ASSIGNED', payload: { member_id: m.member_id, role }, actor: { member_id: inviter, caps }, space_id: space, audit: true });
}

/**
 * Starts a new epoch sealed only to the space's current members; the old key is chained under
 * the new one (history stays readable to those who stay). Inside a unit of work.
 */
export function rotateEpoch(ctx: Ctx, actor: string, space: string, change: (members: import('yjs').Map<string>, doc: import('yjs').Doc) => void = () => {}): number {
  const r = spaceRow(ctx, space);
  const next = r.epoch + 1;
  startEpoch(ctx, space, next, spaceMemberIds(ctx, space));
  sql(ctx.db, 'UPDATE spaces SET epoch = ? WHERE space_id = ?').run(next, space);
  writeSpaceDoc(ctx, space, next, (info, members, doc) => { info.set('epoch', next); change(members, doc); });
  emit(ctx, { topic: 'KEY_ROTATED', payload: { key_id: epochKeyId(space, next), epoch: next }, actor: { member_id: actor, caps: capsOf(roleOf(ctx, space, actor)) }, space_id: space, audit: true });
  return next;
}

/** The committed effect of a staged member removal: out of the space, and a new epoch without them. */
export function removeMemberNow(ctx: Ctx, actor: string, space: string, memberId: string): void {
  if (!roleOf(ctx, space, memberId)) throw new ApiError('CONFLICT', 'that member is no longer in the space');
  sql(ctx.db, 'DELETE FROM space_members WHERE space_id = ? AND member_id = ?').run(space, memberId);
  const theirDevices = (sql(ctx.db, 'SELECT device_id FROM devices WHERE member_id = ?').all(memberId) as { device_id: string }[]).map((d) => d.device_id);
  rotateEpoch(ctx, actor, space, (members, doc) => {
    members.delete(memberId);
    for (const d of theirDevices) doc.getMap('devices').delete(d);
  });
}

/**
 * device.revoke: the device is refused from now on, every space it could read says so, and
 * those spaces move to a new epoch. (Its member keys are not rotated: see the report.)
 */
export function revokeDevice(ctx: Ctx, actor: string, deviceId: string): { device_id: string; rotated: string[] } {
  const d = deviceRow(ctx, deviceId);
  if (!d) throw notFound('device', deviceId);
  if (d.local === 1) throw new ApiError('CONFLICT', 'this device cannot revoke itself');
  const k = keys(ctx);
  if (d.member_id !== k.memberId && !(sql(ctx.db, "SELECT 1 FROM space_members a JOIN space_members b ON a.space_id = b.space_id WHERE a.member_id = ? AND a.role = 'guardian' AND b.member_id = ?").get(actor, d.member_id))) {
    throw new ApiError('FORBIDDEN', 'only the owner of a device or a guardian of its spaces revokes it', { reasons: [{ code: 'NOT_OWNER', message: 'not your device' }] });
  }
  const rotated: string[] = [];
  ctx.uow.run(() => {
    sql(ctx.db, "UPDATE devices SET status = 'revoked' WHERE device_id = ?").run(deviceId);
    const spaces = (sql(ctx.db, `SELECT a.space_id FROM space_members a JOIN space_members b ON a.space_id = b.space_id
      WHERE a.member_id = ? AND b.member_id = ?`).all(actor, d.member_id) as { space_id: string }[]).map((r) => r.space_id);
    for (const s of spaces) {
      rotateEpoch(ctx, actor, s, (_m, doc) => { doc.getMap('devices').delete(deviceId); doc.getMap('revoked').set(deviceId, true); });
      rotated.push(s);
    }
    emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: deviceId, state: 'revoked' }, actor: { member_id: actor, caps: [] }, audit: true });
  });
  ctx.sync?.revokeSessions(deviceId);
  return { device_id: deviceId, rotated };
}
