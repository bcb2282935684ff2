import * as Y from 'yjs';
import type { Band, Role } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { verifyMemberKeyChange } from '../members/member-key';
import { isDeviceInfo } from '../members/device-cert';
import { deviceRow } from '../members/devices';
import { applyAddsPending } from '../crdt/doc-update';
import { heldMetaOf } from '../memories/materialise';
import { isMeta, readMeta, type Meta } from '../memories/memory-doc';
import { authorize, capsOf, type PolicyInput } from '../policy/authorize';
import { isRole, policyDocument } from '../policy/policy-document';
import { decryptEpochEntry, deviceSealId, holdsChainLink, holdsSeal, type KeyringBody } from '../spaces/epoch-keys';
import { isMemberKeyEntry, readSpaceDoc } from '../spaces/space-doc';
import { roleOf, spaceRow } from '../spaces/spaces';
import type { LogEntry } from '../store/sync-log';
import type { BatchMemo } from './batch-memo';

/**
 * Role checks on receive: what the policy engine enforces on the author's device, enforced
 * again here, because a peer may run modified code. Decided from what this device can verify:
 * the author device's member, that member's role as of this point of the log (the rows the
 * space document materialised so far), and the memory's metadata when it decrypts. Content is
 * never needed. Returns null when the entry may be applied, or why it may not.
 */
export type Denial = 'role_admin' | 'role_write' | 'role_band' | 'role_meta' | 'unverifiable';

const ALL_SYNCED_BANDS: Band[] = ['GREEN', 'AMBER', 'RED'];

function openWithEpoch(ctx: Ctx, _space: string, e: LogEntry): Uint8Array | null {
  return decryptEpochEntry(ctx, e);
}

// ---- keyring entries --------------------------------------------------------------------------

/**
 * Epochs and seals are an administrator's, with one exception: a member rotating keys after
 * revoking one of their own devices. That member may publish their own certified key change,
 * and may start the next epoch, sealed only to current members and their devices, under their
 * own device as origin (they cannot re-seal an existing epoch, seal anything to an outsider, or
 * file a key under another device's origin).
 */
function keyringDenial(ctx: Ctx, space: string, member: string, author: string, admin: boolean, body: KeyringBody): Denial | null {
  if (body.member_key) {
    if (body.member_key.member_id !== member || !verifyMemberKeyChange(ctx, body.member_key)) return 'role_admin';
  }
  if (admin) return null;
  // a key is filed under the device that started it, and which of an epoch's keys everyone writes
  // under is chosen by origin (epoch-keys.ts originRank, then the lowest id): naming another origin
  // could choose everyone's key
  if (body.origin !== undefined && body.origin !== author) return 'role_admin';
  if (!body.seals && !body.chain && !body.device_seals) return null;
  const current = spaceRow(ctx, space).epoch;
  // the next epoch only: one far ahead would leave no chain back, and a rotation none could follow
  if (body.epoch <= current || body.epoch > current + 1) return 'role_admin';
  if (body.chain) {
    if (body.chain.epoch !== body.epoch - 1) return 'role_admin';
    if (holdsChainLink(ctx, space, body.chain.epoch)) return 'role_admin';
  }
  for (const m of Object.keys(body.seals ?? {})) {
    if (!roleOf(ctx, space, m)) return 'role_admin';
    if (holdsSeal(ctx, space, body.epoch, m)) return 'role_admin';
  }
  // seals to single devices (a member whose key a revoked device holds) as strictly: a current member's device, a new epoch
  // (a device not known here may be one the author learned in another space: a seal to it opens nothing here)
  for (const d of Object.keys(body.device_seals ?? {})) {
    const owner = deviceRow(ctx, d)?.member_id;
    if (owner && !roleOf(ctx, space, owner)) return 'role_admin';
    if (holdsSeal(ctx, space, body.epoch, deviceSealId(d))) return 'role_admin';
  }
  return null;
}

// ---- the space document -----------------------------------------------------------------------

type DocView = Record<'space' | 'members' | 'member_keys' | 'devices' | 'revoked', Record<string, unknown>>;
const view = (doc: Y.Doc): DocView => ({
  space: doc.getMap('space').toJSON(), members: doc.getMap('members').toJSON(), member_keys: doc.getMap('member_keys').toJSON(),
  devices: doc.getMap('devices').toJSON(), revoked: doc.getMap('revoked').toJSON(),
});
const changedKeys = (a: Record<string, unknown>, b: Record<string, unknown>): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

/**
 * Membership, roles, name and other members' keys and devices are an administrator's. Any member
 * may register or re-certify their own devices, mark their own devices revoked, publish their own
 * member public keys, and move the epoch on (a revocation of their own device).
 */
function spaceDocDenial(ctx: Ctx, space: string, member: string, admin: boolean, e: LogEntry): Denial | 'malformed' | null {
  const plain = openWithEpoch(ctx, space, e);
  // an administrator's entry this device cannot open or follow yet is theirs to write (as ever)
  if (!plain) return admin ? null : 'unverifiable';
  const doc = readSpaceDoc(ctx, space);
  const before = view(doc);
  // what it does only later (held aside by Yjs) cannot be checked now: refused until what it builds on is here
  try { if (applyAddsPending(doc, plain)) return admin ? null : 'unverifiable'; } catch { return admin ? null : 'unverifiable'; }
  const after = view(doc);
  // a role no release defines, even from an administrator: every view of the space threw on it
  for (const id of changedKeys(before.members, after.members)) if (after.members[id] !== undefined && !isRole(after.members[id])) return 'malformed';
  if (admin) return null;
  if (changedKeys(before.members, after.members).length) return 'role_admin';
  for (const key of changedKeys(before.space, after.space)) {
    if (key !== 'epoch' || !(Number(after.space.epoch) > Number(before.space.epoch ?? 0))) return 'role_admin';
  }
  // only their own entry: the key a member publishes matters to devices that learn them from it,
  // and the members rows this device verifies against change only through a certified rotation
  for (const id of changedKeys(before.member_keys, after.member_keys)) if (id !== member || !isMemberKeyEntry(after.member_keys[id])) return 'role_admin';
  const ownerOf = (id: string): unknown => (after.devices[id] as { member_id?: string } | undefined)?.member_id
    ?? (before.devices[id] as { member_id?: string } | undefined)?.member_id
    ?? deviceRow(ctx, id)?.member_id;
  for (const id of changedKeys(before.devices, after.devices)) {
    const b = before.devices[id] as { member_id?: string } | undefined;
    const a = after.devices[id];
    // present after: one of their own devices, as a device entry (a null or a number is no device, and no one's to write)
    if ((b && b.member_id !== member) || (a !== undefined && !(isDeviceInfo(a) && a.member_id === member))) return 'role_admin';
  }
  for (const id of changedKeys(before.revoked, after.revoked)) if (ownerOf(id) !== member) return 'role_admin';
  return null;
}

// ---- memories ---------------------------------------------------------------------------------

/** When metadata cannot be read here, a writer allowed every band needs no band check; anyone else is refused. */
const unverifiedWrite = (role: Role): Denial | null =>
  !capsOf(role).includes('WRITE') ? 'role_write' : ALL_SYNCED_BANDS.every((b) => policyDocument().roles[role].bands.includes(b)) ? null : 'unverifiable';

function decision(input: Omit<PolicyInput, 'undoWindowSeconds'>): Denial | null {
  const d = authorize({ ...input, undoWindowSeconds: policyDocument().undo_window_default_seconds });
  if (d.effect !== 'DENY') return null;
  if (d.reasons.some((r) => r.code === 'MISSING_CAP_WRITE')) return 'role_write';
  if (d.reasons.some((r) => r.code === 'ROLE_BAND')) return 'role_band';
  return 'role_meta';
}

const memoryOf = (m: Meta) => ({ author: m.author, recipients: m.recipients ?? [], origin_device: m.origin_device });

/**
 * A metadata entry: a new memory is `memory.create` by its stated author (who must be the
 * author device's member); a change is `memory.setBand` (band), `memory.delete` (into the trash),
 * or `memory.update` (anything else), decided as the author device decided it. Re-authentication
 * and confirmation happen on the author's device and cannot be seen here: they are taken as given.
 */
function metaDenial(ctx: Ctx, space: string, member: string, role: Role, e: LogEntry, memo: BatchMemo | null): Denial | 'malformed' | null {
  const plain = openWithEpoch(ctx, space, e);
  if (!plain) return unverifiedWrite(role);
  const memoryId = e.doc_id.slice(0, -5);
  const held = memo ? memo.heldMeta(memoryId) : heldMetaOf(ctx, space, memoryId);
  const before = held.meta;
  // a new memory whose metadata the second thread already read from this same update: not read again
  const prepared = memo?.preparedMeta(memoryId, plain);
  const doc = prepared ? null : held.doc;
  // (the receive thread prepares no memory whose update leaves anything pending: receive-prep.ts)
  if (doc) {
    let aside = true;
    try { aside = applyAddsPending(doc, plain); } catch { /* unverifiable below */ }
    if (aside) { memo?.forget(memoryId); return 'unverifiable'; }
  }
  const after = prepared ?? readMeta(doc!);
  const denial = metaChangeDenial(member, role, e, before, after);
  // the held document now has this entry applied (or, prepared, is built from it when asked): right if it is stored, wrong if it is refused
  if (denial) memo?.forget(memoryId); else memo?.accepted(memoryId, doc, after, plain);
  return denial;
}

function metaChangeDenial(member: string, role: Role, e: LogEntry, before: Meta | null, after: Meta): Denial | 'malformed' | null {
  const actor = { member_id: member, role };
  // a state this app does not write (a type it does not know, a date that is none) would reach every member's list
  if (!isMeta(after)) return 'malformed';
  if (after.band === 'BLACK') return 'role_band';
  if (!before) {
    if (after.author !== member) return 'role_meta';
    return decision({ action: 'memory.create', actor, band: after.band, device_id: e.author_device });
  }
  if (after.author !== before.author || after.origin_device !== before.origin_device || after.created_at !== before.created_at) return 'role_meta';
  const base = { actor, band: before.band, device_id: e.author_device, memory: memoryOf(before) } as const;
  if (after.band !== before.band) return decision({ ...base, action: 'memory.setBand', newBand: after.band, reauth: true });
  if (!before.deleted_at && after.deleted_at) {
    // retention moves an expired working memory to the trash on whichever device notices first
    const expired = after.expires_at !== null && after.expires_at !== undefined && after.deleted_at >= after.expires_at && JSON.stringify({ ...after, deleted_at: null }) === JSON.stringify({ ...before, deleted_at: null });
    return expired && role && capsOf(role).length ? null : decision({ ...base, action: 'memory.delete', confirm: true });
  }
  // a snapshot (compaction) that changes nothing here needs no right
  if (JSON.stringify(after) === JSON.stringify(before)) return null;
  return decision({ ...base, action: 'memory.update' });
}

/** A content entry is an edit (`memory.update`) of a memory whose band the metadata says. */
function contentDenial(ctx: Ctx, space: string, member: string, role: Role, e: LogEntry, memo: BatchMemo | null, memoryId = e.doc_id): Denial | null {
  const { meta } = memo ? memo.heldMeta(memoryId) : heldMetaOf(ctx, space, memoryId);
  if (!meta) return unverifiedWrite(role);
  return decision({ action: 'memory.update', actor: { member_id: member, role }, band: meta.band, device_id: e.author_device, memory: memoryOf(meta) });
}

/**
 * `memo` (one received batch's lookups, batch-memo.ts) saves reading the role and the held
 * metadata again for every entry; without it everything is read from the database.
 */
export function entryDenial(ctx: Ctx, space: string, member: string, e: LogEntry, kind: { keyring?: KeyringBody | null; spaceDoc?: boolean; tombstone?: boolean }, memo: BatchMemo | null = null): Denial | 'malformed' | null {
  const role = memo ? memo.role(member) : roleOf(ctx, space, member);
  if (!role) return 'role_write';
  const admin = capsOf(role).includes('ADMIN');
  if (kind.keyring) return keyringDenial(ctx, space, member, e.author_device, admin, kind.keyring);
  if (kind.spaceDoc) return e.purged_sha256 ? null : spaceDocDenial(ctx, space, member, admin, e);
  if (kind.tombstone) return null;
  // a purged entry (compaction, erasure) carries a header only: it changes nothing here
  if (e.purged_sha256) return null;
  if (e.doc_id.endsWith('.meta')) return metaDenial(ctx, space, member, role, e, memo);
  // adding or removing a file is an edit of the memory (attachment.add / attachment.delete decide as memory.update)
  if (e.doc_id.endsWith('.files')) return contentDenial(ctx, space, member, role, e, memo, e.doc_id.slice(0, -6));
  return contentDenial(ctx, space, member, role, e, memo);
}
