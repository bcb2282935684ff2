import type { Role, SpaceKind } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { b64 } from '../crypto/sodium';
import { getMember } from '../members/members';
import { sql } from '../store/statements';
import { openText } from '../vault/local-meta';
import { toDeviceInfo, upsertRemoteDevice } from './device-cert';
import type { Roster } from './frames';
import { ensureSpaceRow, upsertRemoteMember } from './materialise';

/** How this device sees a space: what an own device or a new member needs before the log arrives. */
export function buildRoster(ctx: Ctx, space: string): Roster {
  const s = sql(ctx.db, 'SELECT * FROM spaces WHERE space_id = ?').get(space) as { kind: SpaceKind; epoch: number; name_nonce: Buffer; name_ct: Buffer; created_by: string };
  const members = (sql(ctx.db, 'SELECT m.member_id, m.role, k.ed25519_pub, k.x25519_pub FROM space_members m JOIN members k ON k.member_id = m.member_id WHERE m.space_id = ?').all(space) as { member_id: string; role: Role; ed25519_pub: Buffer; x25519_pub: Buffer }[])
    .map((m) => ({ member_id: m.member_id, role: m.role, name: getMember(ctx, m.member_id).name, ed25519: b64(m.ed25519_pub), x25519: b64(m.x25519_pub) }));
  const ids = members.map((m) => m.member_id);
  const devices = (sql(ctx.db, `SELECT * FROM devices WHERE status = 'trusted' AND member_id IN (${ids.map(() => '?').join(',') || "''"})`).all(...ids) as Parameters<typeof toDeviceInfo>[0][]).map(toDeviceInfo);
  return { space_id: space, kind: s.kind, epoch: s.epoch, name: openText(ctx, 'space|' + space, { nonce: s.name_nonce, ciphertext: s.name_ct }), created_by: s.created_by, members, devices };
}

/** Applies rosters from a trusted source (own device, or the inviter of a join). Returns whether a space was new. */
export function applyRoster(ctx: Ctx, rosters: Roster[], fromDevice: string): boolean {
  let added = false;
  const me = keys(ctx);
  for (const r of rosters) {
    if (!r || typeof r.space_id !== 'string' || !/^(personal|selective|shared|extended|interfamily):[a-z0-9][a-z0-9-]{0,62}$/.test(r.space_id)) continue;
    for (const m of r.members ?? []) if (m.member_id !== me.memberId) upsertRemoteMember(ctx, m);
    for (const d of r.devices ?? []) if (d.device_id !== me.deviceId) upsertRemoteDevice(ctx, d, 'trusted');
    if (ensureSpaceRow(ctx, r.space_id, r.kind, 1, String(r.name ?? ''), String(r.created_by ?? me.memberId))) added = true;
    const now = ctx.clock.now();
    for (const m of r.members ?? []) {
      sql(ctx.db, 'INSERT OR IGNORE INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?)').run(r.space_id, m.member_id, m.role, now);
    }
  }
  if (added) ctx.log.info('spaces learnt from a peer', { from: fromDevice, spaces: rosters.length });
  return added;
}
