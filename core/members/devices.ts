import type { Device } from '../../contracts/types';
import type { Ctx } from '../app/context';
import { b64 } from '../crypto/sodium';
import { iso } from '../shared/time';
import { sql } from '../store/statements';

interface DeviceRow { device_id: string; member_id: string; platform: string; ed25519_pub: Buffer; x25519_pub: Buffer; local: number; created_at: number }

export function listDevices(ctx: Ctx): Device[] {
  return (sql(ctx.db, 'SELECT * FROM devices ORDER BY created_at').all() as DeviceRow[]).map((d) => ({
    device_id: d.device_id,
    member_id: d.member_id,
    platform: d.platform,
    ed25519_public_key: b64(d.ed25519_pub),
    x25519_public_key: b64(d.x25519_pub),
    this_device: d.local === 1,
    created_at: iso(d.created_at),
  }));
}
