import * as Y from 'yjs';
import { keys, type Ctx } from '../context/ctx';
import { change, deviceClientId, docFromUpdates } from '../crdt/doc-update';
import { appendUpdate, docEntries } from '../store/sync-log';
import { thisDevice } from '../members/device-cert';
import { getMember } from '../members/members';
import { decryptEpochEntry, epochKey, epochKeyId } from './epoch-keys';

export const SPACE_DOC = 'space';

/** The space document as this device can read it (entries under epochs it holds no key for are skipped). */
export function readSpaceDoc(ctx: Ctx, space: string): Y.Doc {
  const updates: Uint8Array[] = [];
  for (const e of docEntries(ctx, 'sync_log', space, SPACE_DOC)) {
    const plain = decryptEpochEntry(ctx, e);
    if (plain) updates.push(plain);
  }
  return docFromUpdates(updates, deviceClientId(keys(ctx).deviceId));
}

/**
 * The space document in the sync log: name, kind, epoch, members with roles, their public keys
 * and their certified devices, encrypted under the epoch key, so every device of every member
 * can materialise the space and verify who may write to it. The writing device registers itself.
 */
export function writeSpaceDoc(ctx: Ctx, space: string, epoch: number, fn: (info: Y.Map<unknown>, members: Y.Map<string>, doc: Y.Doc) => void): void {
  const doc = readSpaceDoc(ctx, space);
  const k = keys(ctx);
  const update = change(doc, () => {
    const memberKeys = doc.getMap('member_keys');
    const devices = doc.getMap('devices');
    if (!memberKeys.has(k.memberId) && k.members.has(k.memberId)) memberKeys.set(k.memberId, memberKeyEntry(getMember(ctx, k.memberId)));
    if (!devices.has(k.deviceId)) devices.set(k.deviceId, thisDevice(ctx));
    fn(doc.getMap('space'), doc.getMap('members') as Y.Map<string>, doc);
  });
  if (update) appendUpdate(ctx, 'sync_log', space, SPACE_DOC, epochKeyId(space, epoch), epochKey(ctx, space, epoch), update);
}

export const memberKeyEntry = (m: { public_keys: { ed25519: string; x25519: string }; name: string }) => ({ ed25519: m.public_keys.ed25519, x25519: m.public_keys.x25519, name: m.name });

/** Whether a value of `member_keys` is an entry memberKeyEntry writes (its name is read leniently: members.ts memberName); anything else is skipped, never read. */
export const isMemberKeyEntry = (v: unknown): v is { ed25519: string; x25519: string; name: string } => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return [o.ed25519, o.x25519].every((k) => typeof k === 'string' && Buffer.from(k, 'base64').length === 32);
};
