import type * as Y from 'yjs';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, enforce } from '../policy/authorize';
import { ApiError, notFound } from '../shared/errors';
import { devicesTable } from '../store/tables/devices';
import { appendKeyring } from '../spaces/epoch-keys';
import { rotateEpoch } from '../spaces/membership';
import { writeSpaceDoc } from '../spaces/space-doc';
import { guardsAnySpaceOf, membershipsOf, sharedSpaceIds, spaceRow } from '../spaces/spaces';
import { memberKeyEntry } from '../spaces/space-doc';
import { undoWindowSeconds } from '../settings/settings';
import { certifyDevice, thisDevice } from './device-cert';
import { deviceRow, markDeviceRevoked, memberKeyExposed, otherTrustedDevicesOf, toDeviceInfo } from './devices';
import { rotateLocalMemberKey } from './member-key';
import { getMember, memberBoxPublicKey, memberPublicKeys } from './members';
import { b64, seal } from '../crypto/sodium';
import { memoriesTable } from '../store/tables/memories';
import { recordFromRow } from '../memories/read-model';
import { rewriteMeta } from '../memories/memories';
import { unwrapDek, type DekWrap } from '../memories/memory-keys';
import { isRecordProblem } from '../memories/integrity';

/**
 * The offering side confirms a new device of its own member: trusted from now on, and
 * registered (certified by the member key) in the space document of every space of the member,
 * so every other member's devices accept what it writes.
 */
export function confirmOwnDevice(ctx: Ctx, deviceId: string): void {
  const k = keys(ctx);
  const d = deviceRow(ctx, deviceId);
  if (!d) throw notFound('device', deviceId);
  if (d.member_id !== k.memberId) throw new ApiError('CONFLICT', 'only a device of this vault\'s owner is confirmed here', { id: deviceId });
  devicesTable.setStatus(ctx.db, 'trusted', deviceId);
  const cert = certifyDevice(ctx, toDeviceInfo({ ...d, status: 'trusted' }));
  for (const { space_id } of membershipsOf(ctx, k.memberId)) {
    writeSpaceDoc(ctx, space_id, spaceRow(ctx, space_id).epoch, (_i, _m, doc) => doc.getMap('devices').set(deviceId, cert));
  }
  emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: deviceId, state: 'added' }, actor: { member_id: k.memberId, caps: [] }, audit: true });
}

/** This vault trusts a peer device from now on (the new device's side of a pairing). */
export const trustDevice = (ctx: Ctx, deviceId: string): void => { devicesTable.setStatus(ctx.db, 'trusted', deviceId); };

/**
 * device.revoke: the device is refused from now on, every space it could read says so, and
 * those spaces move to a new epoch. When the revoked device is one of this vault owner's own,
 * it holds the member's private keys, so refusal alone would not keep it out: the member key is
 * rotated first (delivered sealed to the remaining devices), and the new epochs are sealed to
 * the new key. A guardian revoking another person's device cannot rotate that person's key (it
 * never holds it): the new epochs then rest on that person's other devices rotating it.
 * The sync layer ends the device's sessions when the PRESENCE_DEVICE_CHANGED event is delivered.
 */
export function revokeDevice(ctx: Ctx, actor: string, deviceId: string): { device_id: string; rotated: string[] } {
  const d = deviceRow(ctx, deviceId);
  if (!d) throw notFound('device', deviceId);
  if (d.local === 1) throw new ApiError('CONFLICT', 'this device cannot revoke itself');
  const k = keys(ctx);
  enforce(authorize({
    action: 'device.revoke', actor: { member_id: actor, role: null }, device_id: k.deviceId, undoWindowSeconds: undoWindowSeconds(ctx),
    target_device: { own: d.member_id === actor, actor_guards_its_member: guardsAnySpaceOf(ctx, actor, d.member_id) },
  }));
  const rotated: string[] = [];
  // the member key the revoked device holds: it stays exposed until that member rotates it
  const exposedKey = memberPublicKeys(ctx, d.member_id)?.ed25519 ?? null;
  ctx.uow.run(() => {
    markDeviceRevoked(ctx, deviceId, exposedKey);
    const spaces = sharedSpaceIds(ctx, actor, d.member_id);
    const ownKeys = d.member_id === k.memberId && k.members.has(k.memberId);
    if (ownKeys) publishMemberKeyRotation(ctx, k.memberId, spaces);
    for (const s of spaces) {
      rotateEpoch(ctx, actor, s, (_m, doc) => {
        // marked only where it was registered: a space that never listed it never trusted it, and
        // its receivers could not tell whose device an unknown id is
        if (doc.getMap('devices').has(deviceId) || doc.getMap('revoked').has(deviceId)) {
          doc.getMap('devices').delete(deviceId);
          doc.getMap('revoked').set(deviceId, exposedKey ? b64(exposedKey) : true);
        }
        if (ownKeys) recertifyOwnDevices(ctx, doc);
      });
      rotated.push(s);
    }
    emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: deviceId, state: 'revoked' }, actor: { member_id: actor, caps: [] }, audit: true });
  });
  return { device_id: deviceId, rotated };
}

/**
 * A new member key pair, delivered to the member's remaining trusted devices through a signed
 * keyring entry in each space (before that space's new epoch, so receivers know the new X25519
 * key the epoch is sealed to by the time they need it).
 */
function publishMemberKeyRotation(ctx: Ctx, memberId: string, spaces: string[]): void {
  const remaining = otherTrustedDevicesOf(ctx, memberId);
  const change = rotateLocalMemberKey(ctx, memberId, remaining.map((r) => ({ device_id: r.device_id, x25519_pub: new Uint8Array(r.x25519_pub) })));
  for (const s of spaces) appendKeyring(ctx, s, { epoch: spaceRow(ctx, s).epoch, member_key: change });
  for (const s of spaces) resealRedTo(ctx, memberId, s);
  emit(ctx, { topic: 'KEY_ROTATED', payload: { key_id: `member:${memberId}`, epoch: 0 }, actor: { member_id: memberId, caps: [] }, audit: true });
}

/** The space document after a member key rotation: the new public keys, and this member's devices certified by the new key. */
function recertifyOwnDevices(ctx: Ctx, doc: Y.Doc): void {
  const k = keys(ctx);
  doc.getMap('member_keys').set(k.memberId, memberKeyEntry(getMember(ctx, k.memberId)));
  doc.getMap('devices').set(k.deviceId, thisDevice(ctx));
  for (const d of otherTrustedDevicesOf(ctx, k.memberId)) doc.getMap('devices').set(d.device_id, certifyDevice(ctx, toDeviceInfo(d)));
}


/**
 * After a member-key rotation, every RED memory of a space sealed to the old key gets a seal to
 * the new one (a metadata change every device receives): a device linked later — which receives
 * only the new key — still opens the RED history its person is entitled to. The revoked device
 * learns nothing from it: the new seal opens only with the new key it never had.
 */
function resealRedTo(ctx: Ctx, memberId: string, space: string): void {
  const newPub = memberBoxPublicKey(ctx, memberId);
  for (const row of memoriesTable.redOfSpace(ctx.db, space)) {
    let rec;
    try { rec = recordFromRow(ctx, row); } catch (e) { if (isRecordProblem(e)) continue; throw e; }
    const wrap = rec.meta.dek as DekWrap;
    const mine = wrap.mode === 'sealed' && (wrap.seals[memberId] || wrap.device_seals?.[keys(ctx).deviceId]);
    if (rec.band !== 'RED' || wrap.mode !== 'sealed' || !mine) continue;
    const dek = unwrapDek(ctx, space, rec.memory_id, wrap, memberId); // the old seal opens with the retired key (or this device's)
    if (!dek) continue;
    rewriteMeta(ctx, rec, { dek: { mode: 'sealed', seals: { ...wrap.seals, [memberId]: b64(seal(dek, newPub)) } } }, { dek });
  }
}

/**
 * Someone else (a guardian) revoked one of this person's devices: it still holds the member key.
 * A remaining device of that person rotates it at once (as after revoking one of its own), so
 * what is sealed to the person from now on reaches only their trusted devices again.
 */
export function rotateExposedOwnKey(ctx: Ctx): boolean {
  const k = keys(ctx);
  if (!k.members.has(k.memberId) || !memberKeyExposed(ctx, k.memberId)) return false;
  ctx.uow.run(() => publishMemberKeyRotation(ctx, k.memberId, membershipsOf(ctx, k.memberId).map((m) => m.space_id)));
  ctx.log.info('member key rotated after a revocation by someone else', { member_id: k.memberId });
  return true;
}
