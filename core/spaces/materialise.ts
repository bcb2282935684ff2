import type { Role } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { fromB64 } from '../crypto/sodium';
import { isKnownMember, memberPublicKeys, upsertRemoteMember } from '../members/members';
import { markDeviceRevoked, memberKeyExposed, upsertRemoteDevice } from '../members/devices';
import { rotateExposedOwnKey } from '../members/device-trust';
import { isDeviceInfo, verifyDeviceCert } from '../members/device-cert';
import { spaceMembersTable, spacesTable } from '../store/tables/spaces';
import { sealText } from '../vault/local-meta';
import { forgetEpochKeys, hasEpochKey } from './epoch-keys';
import { isMemberKeyEntry, readSpaceDoc } from './space-doc';
import { spaceName } from './space-name';
import { spaceKindOf } from '../shared/space-id';
import { isRole } from '../policy/policy-document';

/** Creates the local row of a space learnt from a peer (its name sealed locally). */
export function ensureSpaceRow(ctx: Ctx, space: string, epoch: number, name: unknown, createdBy: string): boolean {
  if (spacesTable.find(ctx.db, space)) return false;
  const n = sealText(ctx, 'space|' + space, spaceName(space, name));
  spacesTable.insert(ctx.db, space, spaceKindOf(space), epoch, n.nonce, n.ciphertext, createdBy, ctx.clock.now());
  return true;
}

/**
 * Derives the local rows of a space from its space document: members with roles and keys,
 * certified devices (a device whose certificate does not verify is not recorded), name, epoch.
 */
export function materialiseSpace(ctx: Ctx, space: string): void {
  const doc = readSpaceDoc(ctx, space);
  const info = doc.getMap('space');
  if (!info.has('kind')) return;
  const memberKeys = doc.getMap('member_keys').toJSON() as Record<string, unknown>;
  for (const [member_id, mk] of Object.entries(memberKeys)) if (isMemberKeyEntry(mk)) upsertRemoteMember(ctx, { member_id, ...mk });
  const me = keys(ctx).deviceId;
  for (const d of Object.values(doc.getMap('devices').toJSON() as Record<string, unknown>)) {
    if (!isDeviceInfo(d)) { ctx.metrics.inc('memoryos_sync_rejected_total', { reason: 'bad_device_entry' }); continue; }
    if (d.device_id === me) continue;
    const mk = memberPublicKeys(ctx, d.member_id);
    if (!mk || !verifyDeviceCert(d, mk.ed25519)) {
      ctx.metrics.inc('memoryos_sync_rejected_total', { reason: 'bad_device_cert' });
      ctx.log.warn('device certificate refused', { space_id: space, device_id: d.device_id });
      continue;
    }
    upsertRemoteDevice(ctx, d, 'trusted');
  }
  for (const [id, heldKey] of Object.entries(doc.getMap('revoked').toJSON() as Record<string, unknown>)) {
    if (id !== me) markDeviceRevoked(ctx, id, typeof heldKey === 'string' ? fromB64(heldKey) : null);
  }
  // one of this person's devices revoked by someone else: rotate the member key it still holds, once committed
  if (memberKeyExposed(ctx, keys(ctx).memberId)) ctx.uow.onCommit(() => { try { rotateExposedOwnKey(ctx); } catch (e) { ctx.log.warn('member key rotation failed', { error: (e as Error).name }); } });
  const epoch = Number(info.get('epoch') ?? 1);
  const name = info.get('name');
  const created = ensureSpaceRow(ctx, space, hasEpochKey(ctx, space, epoch) ? epoch : 1, name, keys(ctx).memberId);
  if (!created) {
    const n = sealText(ctx, 'space|' + space, spaceName(space, name));
    spacesTable.setName(ctx.db, n.nonce, n.ciphertext, space);
    if (hasEpochKey(ctx, space, epoch)) spacesTable.raiseEpoch(ctx.db, epoch, space);
  }
  const listed = doc.getMap('members').toJSON() as Record<string, unknown>;
  if (Object.keys(listed).length) {
    const now = ctx.clock.now();
    // a role no release defines (a modified administrator's device may write one) is no role: that
    // member is out of the space here, rather than a row every view of the space throws on
    const members = Object.fromEntries(Object.entries(listed).filter((x): x is [string, Role] => isRole(x[1])));
    for (const [m, role] of Object.entries(members)) {
      if (isKnownMember(ctx, m)) spaceMembersTable.putRole(ctx.db, space, m, role, now);
    }
    for (const g of spaceMembersTable.list(ctx.db, space)) if (!(g.member_id in members)) spaceMembersTable.remove(ctx.db, space, g.member_id);
    forgetEpochKeys(ctx, space);
  }
}
