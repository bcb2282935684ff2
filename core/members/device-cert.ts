import { keys, type Ctx } from '../context/ctx';
import { b64, fromB64, sign, verify } from '../crypto/sodium';
import { canonicalJson } from '../shared/json';

/** A device as peers learn it: ids, public keys, and the member's signature binding the device to the member. */
export interface DeviceInfo { device_id: string; member_id: string; ed25519: string; x25519: string; platform: string; cert?: string }

/** Whether a value another device wrote into a space document is a device entry (anything else is skipped, never read). */
export const isDeviceInfo = (d: unknown): d is DeviceInfo => {
  if (!d || typeof d !== 'object' || Array.isArray(d)) return false;
  const o = d as Record<string, unknown>;
  return ['device_id', 'member_id', 'ed25519', 'x25519', 'platform'].every((k) => typeof o[k] === 'string') && (o.cert === undefined || typeof o.cert === 'string');
};

const certBytes = (d: DeviceInfo): string => canonicalJson({ v: 1, kind: 'device-cert', device_id: d.device_id, member_id: d.member_id, ed25519: d.ed25519, x25519: d.x25519 });

/** This device, certified by the member key it acts for (Ed25519 signatures are deterministic: nothing to store). */
export function thisDevice(ctx: Ctx): DeviceInfo {
  const k = keys(ctx);
  const d: DeviceInfo = { device_id: k.deviceId, member_id: k.memberId, ed25519: b64(k.deviceSign.publicKey), x25519: b64(k.deviceBox.publicKey), platform: ctx.platform };
  return certifyDevice(ctx, d);
}

/** Certifies a device with the member key this vault holds for its member (unchanged when it holds none). */
export function certifyDevice(ctx: Ctx, d: DeviceInfo): DeviceInfo {
  const mk = keys(ctx).members.get(d.member_id);
  return mk ? { ...d, cert: b64(sign(certBytes(d), mk.sign.privateKey)) } : d;
}

export function verifyDeviceCert(d: DeviceInfo, memberEd25519: Uint8Array): boolean {
  return !!d.cert && verify(fromB64(d.cert), certBytes(d), memberEd25519);
}
