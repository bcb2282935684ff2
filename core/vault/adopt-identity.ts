import { keys, type Ctx } from '../context/ctx';
import { Keyring } from '../crypto/keyring';
import { fromB64, unseal } from '../crypto/sodium';
import { emit } from '../events/emit';
import { ApiError } from '../shared/errors';
import { forgetMember, insertLocalMember } from '../members/members';
import { devicesTable } from '../store/tables/devices';
import { entryLogsTable } from '../store/tables/entry-logs';
import { epochChainTable, epochSealsTable } from '../store/tables/epoch-keys';
import { memoriesTable } from '../store/tables/memories';
import { spaceMembersTable, spacesTable } from '../store/tables/spaces';
import { vaultTable } from '../store/tables/vault';

/** A person's member keys as a linked device receives them, each private key sealed to this device. */
export interface SealedMemberKeys { member_id: string; name: string; ed25519: string; x25519: string; sign_sealed: string; box_sealed: string }

/** Removes a space and everything this device held of it (the placeholder personal space of a linked device). */
function dropSpace(ctx: Ctx, space: string): void {
  entryLogsTable.deleteSpace(ctx.db, space);
  epochSealsTable.deleteSpace(ctx.db, space);
  epochChainTable.deleteSpace(ctx.db, space);
  spaceMembersTable.deleteSpace(ctx.db, space);
  memoriesTable.deleteSpace(ctx.db, space);
  spacesTable.delete(ctx.db, space);
}

/**
 * The new device takes on its person's member identity: the member keys (sealed to this
 * device's X25519 key) replace the placeholder member that `init` created, whose empty
 * personal space goes with it. Spaces then arrive from the offering device.
 */
export function adoptMemberIdentity(ctx: Ctx, m: SealedMemberKeys): void {
  const k = keys(ctx);
  const signPriv = unseal(fromB64(m.sign_sealed), k.deviceBox);
  const boxPriv = unseal(fromB64(m.box_sealed), k.deviceBox);
  if (!signPriv || !boxPriv) throw new ApiError('UNAUTHORIZED', 'the member keys were not sealed to this device');
  const old = k.memberId;
  ctx.uow.run(() => {
    for (const { space_id } of spaceMembersTable.ofMember(ctx.db, old)) dropSpace(ctx, space_id);
    forgetMember(ctx, old);
    forgetMember(ctx, m.member_id); // a public-only record of the same person, learnt earlier
    insertLocalMember(ctx, k.vmk, m.member_id, m.name, { publicKey: fromB64(m.ed25519), privateKey: signPriv }, { publicKey: fromB64(m.x25519), privateKey: boxPriv });
    vaultTable.setMember(ctx.db, m.member_id);
    devicesTable.setMember(ctx.db, m.member_id, k.deviceId);
    emit(ctx, { topic: 'PRESENCE_DEVICE_CHANGED', payload: { device_id: k.deviceId, state: 'added' }, actor: { member_id: m.member_id, caps: [] }, audit: true });
  });
  ctx.seqCache.clear();
  const next = new Keyring(k.vmk, k.deviceId, m.member_id, k.deviceSign, k.deviceBox, k.deviceLocalKey, k.metaKey);
  next.members.set(m.member_id, { sign: { publicKey: fromB64(m.ed25519), privateKey: signPriv }, box: { publicKey: fromB64(m.x25519), privateKey: boxPriv } });
  ctx.keyring = next;
  for (const mk of k.members.values()) { mk.sign.privateKey.fill(0); mk.box.privateKey.fill(0); }
  ctx.log.info('device linked to its member', { device_id: k.deviceId });
}
