import { keys, type Ctx } from '../app/context';
import { b64, fromB64, sign, verify } from '../crypto/sodium';
import { canonicalJson } from '../shared/json';
import { sql } from '../store/statements';

/** A device as peers learn it: ids, public keys, and the member's signature binding the device to the member. */
export interface DeviceInfo { device_id: string; member_id: string; ed25519: string; x25519: string; platform: string; cert?: string }

const certBytes = (d: DeviceInfo): string => canonicalJson({ v: 1, kind: 'device-cert', device_id: d.device_id, member_id: d.member_id, ed25519: d.ed25519, x25519: d.x25519 });

/** This device, certified by the member key it acts for (Ed25519 signatures are deterministic: nothing to store). */
export function thisDevice(ctx: Ctx): DeviceInfo {
  const k = keys(ctx);
  const d: DeviceInfo = { device_id: k.deviceId, member_id: k.memberId, ed25519: b64(k.deviceSign.publicKey), x25519: b64(k.deviceBox.publicKey), platform: ctx.platform };
  const mk = k.members.get(k.memberId);
  if (mk) d.cert = b64(sign(certBytes(d), mk.sign.privateKey));
  return d;
}

export function certifyDevice(ctx: Ctx, d: DeviceInfo): DeviceInfo {
  const mk = keys(ctx).members.get(d.member_id);
  return mk ? { ...d, cert: b64(sign(certBytes(d), mk.sign.privateKey)) } : d;
}

export function verifyDeviceCert(d: DeviceInfo, memberEd25519: Uint8Array): boolean {
  return !!d.cert && verify(fromB64(d.cert), certBytes(d), memberEd25519);
}

interface DeviceRow { device_id: string; member_id: string; platform: string; ed25519_pub: Buffer; x25519_pub: Buffer; local: number; status: string; address: string | null }

export function deviceRow(ctx: Ctx, deviceId: string): DeviceRow | undefined {
  return sql(ctx.db, 'SELECT * FROM devices WHERE device_id = ?').get(deviceId) as DeviceRow | undefined;
}

export function deviceByKey(ctx: Ctx, ed25519: Uint8Array): DeviceRow | undefined {
  return sql(ctx.db, 'SELECT * FROM devices WHERE ed25519_pub = ?').get(Buffer.from(ed25519)) as DeviceRow | undefined;
}

export function toDeviceInfo(r: DeviceRow): DeviceInfo {
  return { device_id: r.device_id, member_id: r.member_id, ed25519: b64(r.ed25519_pub), x25519: b64(r.x25519_pub), platform: r.platform };
}

/** Records a remote device; a revoked device stays revoked, a trusted one is not demoted. */
export function upsertRemoteDevice(ctx: Ctx, d: DeviceInfo, status: 'trusted' | 'pending', address?: string | null): void {
  const cur = deviceRow(ctx, d.device_id);
  if (cur) {
    if (cur.local === 1) return;
    const next = cur.status === 'revoked' ? 'revoked' : cur.status === 'trusted' ? 'trusted' : status;
    sql(ctx.db, 'UPDATE devices SET member_id = ?, status = ?, address = COALESCE(?, address) WHERE device_id = ?').run(d.member_id, next, address ?? null, d.device_id);
    return;
  }
  sql(ctx.db, 'INSERT INTO devices (device_id, member_id, platform, ed25519_pub, x25519_pub, local, created_at, status, address) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)')
    .run(d.device_id, d.member_id, d.platform.slice(0, 40), fromB64(d.ed25519), fromB64(d.x25519), ctx.clock.now(), status, address ?? null);
}
