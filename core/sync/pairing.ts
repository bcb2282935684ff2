import { keys, type Ctx } from '../app/context';
import { fromB64, unseal } from '../crypto/sodium';
import { emit } from '../events/envelope';
import { ApiError } from '../shared/errors';
import { writeSpaceDoc } from '../spaces/space-doc';
import { sql } from '../store/statements';
import { Keyring } from '../vault/keyring';
import { insertLocalMember } from '../members/members';
import { certifyDevice, deviceRow, toDeviceInfo } from './device-cert';
import type { Frame } from './frames';

/**
 * The offering side confirms a new device of its own member: trusted from now on, and
 * registered (certified by the member key) in the space document of every space of the member,
 * so every other member's devices accept what it writes.
 */
export function confirmOwnDevice(ctx: Ctx, deviceId: string): void {
  const k = keys(ctx);
  const d = deviceRow(ctx, deviceId)!;
  if (d.member_id !== k.memberId) throw new ApiError('FORBIDDEN', 'only a device of this vault\'s owner is confirmed here');
  sql(ctx.db, "UPDATE devices SET status = 'trusted' WHERE device_id = ?").run(deviceId);
  const cert = certifyDevice(ctx, toDeviceInfo({ ...d, status: 'trusted' }));
  const spaces = sql(ctx.db, 'SELECT s.space_id, s.epoch FROM spaces s JOIN space_members m ON m.space_id = s.space_id AND m.member_id = ?').all(k.memberId) as { space_id: string; epoch: number }[];
  for (const s of spaces) writeSpaceDoc(ctx, s.space_id, s.epoch, (_i, _m, doc) => doc.getMap('devices').set(deviceId, cert));
  emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: deviceId, state: 'added' }, actor: { member_id: k.memberId, caps: [] }, audit: true });
}

/**
 * The new device takes on its person's member identity: the member keys (sealed to this
 * device's X25519 key) replace the placeholder member that `init` created, whose empty
 * personal space goes with it. Spaces then arrive from the offering device.
 */
export function adoptMember(ctx: Ctx, m: Extract<Frame, { t: 'keys' }>['member']): void {
  const k = keys(ctx);
  const signPriv = unseal(fromB64(m.sign_sealed), k.deviceBox);
  const boxPriv = unseal(fromB64(m.box_sealed), k.deviceBox);
  if (!signPriv || !boxPriv) throw new ApiError('UNAUTHORIZED', 'the member keys were not sealed to this device');
  const old = k.memberId;
  ctx.uow.run(() => {
    const mine = (sql(ctx.db, 'SELECT space_id FROM space_members WHERE member_id = ?').all(old) as { space_id: string }[]).map((r) => r.space_id);
    for (const s of mine) {
      for (const t of ['sync_log', 'local_log', 'epoch_seals', 'epoch_chain', 'space_members', 'memories'] as const) {
        sql(ctx.db, `DELETE FROM ${t} WHERE space_id = ?`).run(s);
      }
      sql(ctx.db, 'DELETE FROM spaces WHERE space_id = ?').run(s);
    }
    sql(ctx.db, 'DELETE FROM members WHERE member_id = ?').run(old);
    sql(ctx.db, "DELETE FROM secrets WHERE key_id LIKE 'member:' || ? || ':%'").run(old);
    if (sql(ctx.db, 'SELECT 1 FROM members WHERE member_id = ?').get(m.member_id)) sql(ctx.db, 'DELETE FROM members WHERE member_id = ?').run(m.member_id);
    insertLocalMember(ctx, k.vmk, m.member_id, m.name, { publicKey: fromB64(m.ed25519), privateKey: signPriv }, { publicKey: fromB64(m.x25519), privateKey: boxPriv });
    sql(ctx.db, 'UPDATE vault SET member_id = ? WHERE id = 1').run(m.member_id);
    sql(ctx.db, 'UPDATE devices SET member_id = ? WHERE device_id = ?').run(m.member_id, k.deviceId);
    emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: k.deviceId, state: 'added' }, actor: { member_id: m.member_id, caps: [] }, audit: true });
  });
  ctx.seqCache.clear();
  const next = new Keyring(k.vmk, k.deviceId, m.member_id, k.deviceSign, k.deviceBox, k.deviceLocalKey, k.metaKey);
  next.members.set(m.member_id, { sign: { publicKey: fromB64(m.ed25519), privateKey: signPriv }, box: { publicKey: fromB64(m.x25519), privateKey: boxPriv } });
  ctx.keyring = next;
  for (const mk of k.members.values()) { mk.sign.privateKey.fill(0); mk.box.privateKey.fill(0); }
  ctx.log.info('device linked to its member', { device_id: k.deviceId });
}
