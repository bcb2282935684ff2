import { placeholders, dynamic, query } from '../query';
import type { Db } from '../database';

export type DeviceStatus = 'pending' | 'trusted' | 'revoked';

/** A device: this one (local = 1) or a peer; a peer is pending until its pairing is confirmed. */
export interface DeviceRow {
  device_id: string; member_id: string; platform: string; ed25519_pub: Buffer; x25519_pub: Buffer;
  local: number; created_at: number; status: DeviceStatus; address: string | null;
  /** the member's Ed25519 public key when the device was revoked: exposed until the member rotates */
  revoked_member_key: Buffer | null;
  /** the name given on this device, sealed (device.rename); null: never named */
  name_nonce: Buffer | null; name_ct: Buffer | null;
}

export const devicesTable = {
  insert: query<[string, string, string, Uint8Array, Uint8Array, number, number, DeviceStatus, string | null]>(
    'INSERT INTO devices (device_id, member_id, platform, ed25519_pub, x25519_pub, local, created_at, status, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run,
  find: query<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?').get,
  findByKey: query<[Uint8Array], DeviceRow>('SELECT * FROM devices WHERE ed25519_pub = ?').get,
  list: query<[], DeviceRow>('SELECT * FROM devices ORDER BY created_at').all,
  remote: query<[], DeviceRow>('SELECT * FROM devices WHERE local = 0 ORDER BY created_at').all,
  ofMember: query<[string], DeviceRow>('SELECT * FROM devices WHERE member_id = ? ORDER BY created_at').all,
  /** a member's other devices that are trusted (local = 0) */
  trustedRemoteOf: query<[string], DeviceRow>("SELECT * FROM devices WHERE member_id = ? AND local = 0 AND status = 'trusted' ORDER BY created_at").all,
  /** trusted peers with a last announced address: where a host reconnects */
  dialable: query<[], DeviceRow>("SELECT * FROM devices WHERE local = 0 AND status = 'trusted' AND address IS NOT NULL").all,
  trustedOfMembers: (db: Db, memberIds: string[]): DeviceRow[] =>
    memberIds.length ? dynamic<DeviceRow>(db, `SELECT * FROM devices WHERE status = 'trusted' AND member_id IN (${placeholders(memberIds.length)}) ORDER BY created_at`).all(...memberIds) : [],
  /** a peer learnt again: member, status and address (COALESCE keeps the last known address) */
  updateRemote: query<[string, DeviceStatus, string | null, string]>('UPDATE devices SET member_id = ?, status = ?, address = COALESCE(?, address) WHERE device_id = ?').run,
  setName: query<[Uint8Array, Uint8Array, string]>('UPDATE devices SET name_nonce = ?, name_ct = ? WHERE device_id = ?').run,
  setStatus: query<[DeviceStatus, string]>('UPDATE devices SET status = ? WHERE device_id = ?').run,
  /** a peer only: this device is never marked by what others say */
  setRemoteStatus: query<[DeviceStatus, string]>('UPDATE devices SET status = ? WHERE device_id = ? AND local = 0').run,
  setRemoteAddress: query<[string, string]>('UPDATE devices SET address = ? WHERE device_id = ? AND local = 0').run,
  setMember: query<[string, string]>('UPDATE devices SET member_id = ? WHERE device_id = ?').run,
  /** revoked, remembering the member key it held then (the first revocation seen keeps its key) */
  setRevoked: query<[Uint8Array | null, string]>("UPDATE devices SET status = 'revoked', revoked_member_key = COALESCE(revoked_member_key, ?) WHERE device_id = ? AND local = 0").run,
  /** whether a revoked device still holds the member key the member has now */
  exposesKey: query<[string, Uint8Array], { one: 1 }>("SELECT 1 AS one FROM devices WHERE member_id = ? AND status = 'revoked' AND revoked_member_key = ? LIMIT 1").get,
};
