import type { Role } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { emit } from '../events/envelope';
import { capsOf } from '../policy/engine';
import { ApiError, notFound } from '../shared/errors';
import { appendKeyring, epochKey, epochKeyId, sealEpochTo, startEpoch } from '../spaces/epoch-keys';
import { rotateLocalMemberKey } from '../members/member-key';
import { getMember } from '../members/members';
import { writeSpaceDoc } from '../spaces/space-doc';
import { roleOf, spaceMemberIds, spaceRow } from '../spaces/spaces';
import { sql } from '../store/statements';
import { certifyDevice, deviceRow, thisDevice, toDeviceInfo, upsertRemoteDevice, type DeviceInfo } from './device-cert';
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
 * those spaces move to a new epoch. When the revoked device is one of this vault owner's own,
 * it holds the member's private keys, so refusal alone would not keep it out: the member key is
 * rotated first (delivered sealed to the remaining devices), and the new epochs are sealed to
 * the new key. A guardian revoking another person's device cannot rotate that person's key (it
 * never holds it): the new epochs then rest on that person's other devices rotating it.
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
    const ownKeys = d.member_id === k.memberId && k.members.has(k.memberId);
    if (ownKeys) publishMemberKeyRotation(ctx, k.memberId, spaces);
    for (const s of spaces) {
      rotateEpoch(ctx, actor, s, (_m, doc) => {
        // marked only where it was registered: a space that never listed it never trusted it, and
        // its receivers could not tell whose device an unknown id is
        if (doc.getMap('devices').has(deviceId) || doc.getMap('revoked').has(deviceId)) {
          doc.getMap('devices').delete(deviceId);
          doc.getMap('revoked').set(deviceId, true);
        }
        if (ownKeys) recertifyOwnDevices(ctx, doc);
      });
      rotated.push(s);
    }
    emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: deviceId, state: 'revoked' }, actor: { member_id: actor, caps: [] }, audit: true });
  });
  ctx.sync?.revokeSessions(deviceId);
  return { device_id: deviceId, rotated };
}

/**
 * A new member key pair, delivered to the member's remaining trusted devices through a signed
 * keyring entry in each space (before that space's new epoch, so receivers know the new X25519
 * key the epoch is sealed to by the time they need it).
 */
function publishMemberKeyRotation(ctx: Ctx, memberId: string, spaces: string[]): void {
  const remaining = sql(ctx.db, "SELECT device_id, x25519_pub FROM devices WHERE member_id = ? AND local = 0 AND status = 'trusted'").all(memberId) as { device_id: string; x25519_pub: Buffer }[];
  const change = rotateLocalMemberKey(ctx, memberId, remaining.map((r) => ({ device_id: r.device_id, x25519_pub: new Uint8Array(r.x25519_pub) })));
  for (const s of spaces) appendKeyring(ctx, s, { epoch: spaceRow(ctx, s).epoch, member_key: change });
  emit(ctx, { topic: 'KEY_ROTATED', payload: { key_id: `member:${memberId}`, epoch: 0 }, actor: { member_id: memberId, caps: [] }, audit: true });
}

/** The space document after a member key rotation: the new public keys, and this member's devices certified by the new key. */
function recertifyOwnDevices(ctx: Ctx, doc: import('yjs').Doc): void {
  const k = keys(ctx);
  const m = getMember(ctx, k.memberId);
  doc.getMap('member_keys').set(k.memberId, { ed25519: m.public_keys.ed25519, x25519: m.public_keys.x25519, name: m.name });
  doc.getMap('devices').set(k.deviceId, thisDevice(ctx));
  const own = sql(ctx.db, "SELECT * FROM devices WHERE member_id = ? AND local = 0 AND status = 'trusted'").all(k.memberId) as Parameters<typeof toDeviceInfo>[0][];
  for (const d of own) doc.getMap('devices').set(d.device_id, certifyDevice(ctx, toDeviceInfo(d)));
}
