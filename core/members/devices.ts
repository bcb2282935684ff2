import type { Device } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { b64, fromB64 } from '../crypto/sodium';
import { iso } from '../shared/time';
import { devicesTable, type DeviceRow, type DeviceStatus } from '../store/tables/devices';
import type { DeviceInfo } from './device-cert';
import { memberPublicKeys } from './members';
import { notFound } from '../shared/errors';
import { openText, sealText } from '../vault/local-meta';

export type { DeviceRow, DeviceStatus };

const toDevice = (ctx: Ctx, d: DeviceRow): Device => ({
  device_id: d.device_id,
  member_id: d.member_id,
  platform: d.platform,
  ed25519_public_key: b64(d.ed25519_pub),
  x25519_public_key: b64(d.x25519_pub),
  this_device: d.local === 1,
  // names are sealed under the metadata key: only while unlocked
  ...(ctx.keyring && d.name_ct && d.name_nonce ? { name: openText(ctx, 'device|' + d.device_id, { nonce: d.name_nonce, ciphertext: d.name_ct }) } : {}),
  created_at: iso(d.created_at),
});

export function listDevices(ctx: Ctx): Device[] {
  return devicesTable.list(ctx.db).map((d) => toDevice(ctx, d));
}

/** device.rename: a name for a device of this vault's list, sealed and kept on this device. */
export function renameDevice(ctx: Ctx, deviceId: string, name: string): Device {
  if (!devicesTable.find(ctx.db, deviceId)) throw notFound('device', deviceId);
  const n = sealText(ctx, 'device|' + deviceId, name);
  ctx.uow.run(() => devicesTable.setName(ctx.db, n.nonce, n.ciphertext, deviceId));
  return toDevice(ctx, devicesTable.find(ctx.db, deviceId)!);
}

export const deviceRow = (ctx: Ctx, deviceId: string): DeviceRow | undefined => devicesTable.find(ctx.db, deviceId);
export const deviceByKey = (ctx: Ctx, ed25519: Uint8Array): DeviceRow | undefined => devicesTable.findByKey(ctx.db, Buffer.from(ed25519));

export function toDeviceInfo(r: DeviceRow): DeviceInfo {
  return { device_id: r.device_id, member_id: r.member_id, ed25519: b64(r.ed25519_pub), x25519: b64(r.x25519_pub), platform: r.platform };
}

/** Records a remote device; a revoked device stays revoked, a trusted one is not demoted. */
export function upsertRemoteDevice(ctx: Ctx, d: DeviceInfo, status: 'trusted' | 'pending', address?: string | null): void {
  const cur = deviceRow(ctx, d.device_id);
  if (cur) {
    if (cur.local === 1) return;
    const next: DeviceStatus = cur.status === 'revoked' ? 'revoked' : cur.status === 'trusted' ? 'trusted' : status;
    devicesTable.updateRemote(ctx.db, d.member_id, next, address ?? null, d.device_id);
    return;
  }
  devicesTable.insert(ctx.db, d.device_id, d.member_id, d.platform.slice(0, 40), fromB64(d.ed25519), fromB64(d.x25519), 0, ctx.clock.now(), status, address ?? null);
}

/** A peer device's trust as this device records it. */
export const setRemoteDeviceStatus = (ctx: Ctx, deviceId: string, status: DeviceStatus): void => { devicesTable.setRemoteStatus(ctx.db, status, deviceId); };

/**
 * A peer device is revoked (here, or as a space document announces), with the member key it held
 * then — the revoker says which (a space document from before carries none: nothing is assumed).
 */
export function markDeviceRevoked(ctx: Ctx, deviceId: string, memberKeyAtRevocation: Uint8Array | null): void {
  const d = devicesTable.find(ctx.db, deviceId);
  if (!d || d.local === 1) return;
  devicesTable.setRevoked(ctx.db, memberKeyAtRevocation, deviceId);
}

/**
 * Whether a member's current key is still held by one of their revoked devices (a guardian
 * revoked it; the person has not rotated yet): until then, seal to that person's devices.
 */
export function memberKeyExposed(ctx: Ctx, memberId: string): boolean {
  const pub = memberPublicKeys(ctx, memberId);
  return !!pub && !!devicesTable.exposesKey(ctx.db, memberId, Buffer.from(pub.ed25519));
}

/** Where to seal for a member whose key is exposed: each of their trusted devices' X25519 keys. */
export const sealTargetsOf = (ctx: Ctx, memberId: string): { device_id: string; x25519: Uint8Array }[] =>
  devicesTable.trustedOfMembers(ctx.db, [memberId]).map((d) => ({ device_id: d.device_id, x25519: new Uint8Array(d.x25519_pub) }));

/** Where a trusted peer last said it listens (a restarted host dials it there). */
export const rememberDeviceAddress = (ctx: Ctx, deviceId: string, address: string): void => { devicesTable.setRemoteAddress(ctx.db, address, deviceId); };

export const dialableDevices = (ctx: Ctx): DeviceRow[] => devicesTable.dialable(ctx.db);
export const remoteDevices = (ctx: Ctx): DeviceRow[] => devicesTable.remote(ctx.db);
export const devicesOfMember = (ctx: Ctx, memberId: string): DeviceRow[] => devicesTable.ofMember(ctx.db, memberId);
export const trustedDevicesOf = (ctx: Ctx, memberIds: string[]): DeviceRow[] => devicesTable.trustedOfMembers(ctx.db, memberIds);
/** A member's other trusted devices (this one excluded) */
export const otherTrustedDevicesOf = (ctx: Ctx, memberId: string): DeviceRow[] => devicesTable.trustedRemoteOf(ctx.db, memberId);
