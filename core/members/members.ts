import type { Member } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { b64, boxKeyPair, fromB64, signKeyPair, type BoxKeyPair, type SignKeyPair } from '../crypto/sodium';
import { ulid } from '../shared/ulid';
import { notFound } from '../shared/errors';
import { putSecret, getSecret } from '../vault/secrets';
import { openText, sealText } from '../vault/local-meta';
import { asLabel } from '../shared/label';
import { membersTable, type MemberRow } from '../store/tables/members';
import { secretsTable } from '../store/tables/secrets';

export function insertLocalMember(ctx: Ctx, vmk: Uint8Array, memberId: string, name: string, sign: SignKeyPair, box: BoxKeyPair): void {
  putSecret(ctx.db, vmk, `member:${memberId}:sign`, sign.privateKey);
  putSecret(ctx.db, vmk, `member:${memberId}:box`, box.privateKey);
  const n = sealText(ctx, 'member|' + memberId, name);
  membersTable.insert(ctx.db, memberId, sign.publicKey, box.publicKey, n.nonce, n.ciphertext, 1, ctx.clock.now());
}

/** Shown for a member whose name no view can show: the contracts' Label is 1 to 200 characters. */
export const NO_NAME = '(no name)';

/**
 * A member's name as every view can show it (common.schema.json's Label): cut to 200 characters,
 * or NO_NAME for one that is empty or no text. Another device's roster or space document may say
 * anything, and an empty name made space.get, space.list and member.list break their contracts
 * on every device of the space.
 */
export const memberName = (name: unknown): string => asLabel(name, NO_NAME);

/** Records a member another device told us about: public keys and name (sealed locally like every name). */
export function upsertRemoteMember(ctx: Ctx, m: { member_id: string; ed25519: string; x25519: string; name: string }): void {
  if (membersTable.find(ctx.db, m.member_id)) return;
  const n = sealText(ctx, 'member|' + m.member_id, memberName(m.name));
  membersTable.insert(ctx.db, m.member_id, fromB64(m.ed25519), fromB64(m.x25519), n.nonce, n.ciphertext, 0, ctx.clock.now());
}

/** A person profile held by this vault (a family member sharing this device). */
export function createLocalMember(ctx: Ctx, name: string): Member {
  const k = keys(ctx);
  const id = ulid(ctx.clock.now());
  const sign = signKeyPair();
  const box = boxKeyPair();
  ctx.uow.run(() => insertLocalMember(ctx, k.vmk, id, name, sign, box));
  k.members.set(id, { sign, box });
  return getMember(ctx, id);
}

const retiredPrefix = (memberId: string): string => `member:${memberId}:box-retired:`;

/** Loads every local member's private keys into the keyring at unlock. */
export function loadLocalMemberKeys(ctx: Ctx, vmk: Uint8Array): void {
  const k = keys(ctx);
  for (const r of membersTable.listLocal(ctx.db)) {
    k.members.set(r.member_id, {
      sign: { publicKey: new Uint8Array(r.ed25519_pub), privateKey: getSecret(ctx.db, vmk, `member:${r.member_id}:sign`) },
      box: { publicKey: new Uint8Array(r.x25519_pub), privateKey: getSecret(ctx.db, vmk, `member:${r.member_id}:box`) },
    });
    const old = secretsTable.idsWithPrefix(ctx.db, retiredPrefix(r.member_id));
    if (old.length) k.retired.set(r.member_id, old.map((id) => unpackBoxPair(getSecret(ctx.db, vmk, id))));
  }
}

// a retired box key pair is kept as public key (32 bytes) then private key (32 bytes)
const unpackBoxPair = (b: Uint8Array): BoxKeyPair => ({ publicKey: b.slice(0, 32), privateKey: b.slice(32) });

/** Every box key pair of a local member, current first: a seal made before a key rotation still opens. */
export function memberBoxKeys(ctx: Ctx, memberId: string): BoxKeyPair[] {
  const k = keys(ctx);
  const cur = k.members.get(memberId);
  return cur ? [cur.box, ...(k.retired.get(memberId) ?? [])] : [];
}

/**
 * Replaces a local member's key pairs (a rotation): the new private keys are stored, the old box
 * key is kept as retired (history sealed to it stays readable), the public keys are updated.
 */
export function replaceLocalMemberKeys(ctx: Ctx, memberId: string, sign: SignKeyPair, box: BoxKeyPair): void {
  const k = keys(ctx);
  const cur = k.members.get(memberId);
  if (cur) {
    const n = secretsTable.idsWithPrefix(ctx.db, retiredPrefix(memberId)).length;
    const packed = new Uint8Array(64); packed.set(cur.box.publicKey, 0); packed.set(cur.box.privateKey, 32);
    putSecret(ctx.db, k.vmk, `${retiredPrefix(memberId)}${String(n + 1).padStart(4, '0')}`, packed);
    k.retired.set(memberId, [{ publicKey: cur.box.publicKey, privateKey: cur.box.privateKey }, ...(k.retired.get(memberId) ?? [])]);
  }
  putSecret(ctx.db, k.vmk, `member:${memberId}:sign`, sign.privateKey);
  putSecret(ctx.db, k.vmk, `member:${memberId}:box`, box.privateKey);
  membersTable.setPublicKeys(ctx.db, sign.publicKey, box.publicKey, memberId);
  k.members.set(memberId, { sign, box });
}

/** A member's public keys as the space documents and rosters carry them. */
export function memberPublic(ctx: Ctx, memberId: string): { member_id: string; name: string; ed25519: string; x25519: string } {
  const m = getMember(ctx, memberId);
  return { member_id: m.member_id, name: m.name, ed25519: m.public_keys.ed25519, x25519: m.public_keys.x25519 };
}

const toMember = (ctx: Ctx, r: MemberRow): Member => ({
  member_id: r.member_id,
  // a row an earlier release stored from a peer may hold a name no view can show
  name: memberName(openText(ctx, 'member|' + r.member_id, { nonce: r.name_nonce, ciphertext: r.name_ct })),
  local: r.local === 1,
  ...(r.local === 1 ? { has_pin: !!r.pin_hash } : {}),
  public_keys: { ed25519: b64(r.ed25519_pub), x25519: b64(r.x25519_pub) },
});

export function findMember(ctx: Ctx, memberId: string): Member | null {
  const r = membersTable.find(ctx.db, memberId);
  return r ? toMember(ctx, r) : null;
}

export function getMember(ctx: Ctx, memberId: string): Member {
  const m = findMember(ctx, memberId);
  if (!m) throw notFound('member', memberId);
  return m;
}

export const isKnownMember = (ctx: Ctx, memberId: string): boolean => !!membersTable.find(ctx.db, memberId);

export function listMembers(ctx: Ctx): Member[] {
  return membersTable.list(ctx.db).map((r) => toMember(ctx, r));
}

/** A member's current public keys (raw), or null for someone this vault never heard of. */
export function memberPublicKeys(ctx: Ctx, memberId: string): { ed25519: Uint8Array; x25519: Uint8Array } | null {
  const r = membersTable.find(ctx.db, memberId);
  return r ? { ed25519: new Uint8Array(r.ed25519_pub), x25519: new Uint8Array(r.x25519_pub) } : null;
}

export function memberBoxPublicKey(ctx: Ctx, memberId: string): Uint8Array {
  const r = memberPublicKeys(ctx, memberId);
  if (!r) throw notFound('member', memberId);
  return r.x25519;
}

/** A rotation received from a peer: this device learns the member's new public keys. */
export function setMemberPublicKeys(ctx: Ctx, memberId: string, ed25519: Uint8Array, x25519: Uint8Array): void {
  membersTable.setPublicKeys(ctx.db, ed25519, x25519, memberId);
}

/** Forgets a member entirely (the placeholder identity a linked device replaces), with its private keys. */
export function forgetMember(ctx: Ctx, memberId: string): void {
  membersTable.delete(ctx.db, memberId);
  secretsTable.deleteWithPrefix(ctx.db, `member:${memberId}:`);
}
