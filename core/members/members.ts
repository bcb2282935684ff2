import type { Member } from '../../contracts/types';
import { keys, type Ctx } from '../app/context';
import { b64, boxKeyPair, signKeyPair, type BoxKeyPair, type SignKeyPair } from '../crypto/sodium';
import { ulid } from '../shared/ulid';
import { notFound } from '../shared/errors';
import { putSecret, getSecret } from '../vault/secrets';
import { openText, sealText } from '../vault/local-meta';
import { sql } from '../store/statements';

interface MemberRow { member_id: string; ed25519_pub: Buffer; x25519_pub: Buffer; name_nonce: Buffer; name_ct: Buffer; local: number }

export function insertLocalMember(ctx: Ctx, vmk: Uint8Array, memberId: string, name: string, sign: SignKeyPair, box: BoxKeyPair): void {
  putSecret(ctx.db, vmk, `member:${memberId}:sign`, sign.privateKey);
  putSecret(ctx.db, vmk, `member:${memberId}:box`, box.privateKey);
  const n = sealText(ctx, 'member|' + memberId, name);
  sql(ctx.db, 'INSERT INTO members (member_id, ed25519_pub, x25519_pub, name_nonce, name_ct, local, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)')
    .run(memberId, sign.publicKey, box.publicKey, n.nonce, n.ciphertext, ctx.clock.now());
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

/** Loads every local member's private keys into the keyring at unlock. */
export function loadLocalMemberKeys(ctx: Ctx, vmk: Uint8Array): void {
  const k = keys(ctx);
  for (const r of sql(ctx.db, 'SELECT member_id, ed25519_pub, x25519_pub FROM members WHERE local = 1').all() as MemberRow[]) {
    k.members.set(r.member_id, {
      sign: { publicKey: new Uint8Array(r.ed25519_pub), privateKey: getSecret(ctx.db, vmk, `member:${r.member_id}:sign`) },
      box: { publicKey: new Uint8Array(r.x25519_pub), privateKey: getSecret(ctx.db, vmk, `member:${r.member_id}:box`) },
    });
    const old = sql(ctx.db, "SELECT key_id FROM secrets WHERE key_id LIKE 'member:' || ? || ':box-retired:%' ORDER BY key_id").all(r.member_id) as { key_id: string }[];
    if (old.length) k.retired.set(r.member_id, old.map((o) => unpackBoxPair(getSecret(ctx.db, vmk, o.key_id))));
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
    const n = (sql(ctx.db, "SELECT COUNT(*) AS n FROM secrets WHERE key_id LIKE 'member:' || ? || ':box-retired:%'").get(memberId) as { n: number }).n;
    const packed = new Uint8Array(64); packed.set(cur.box.publicKey, 0); packed.set(cur.box.privateKey, 32);
    putSecret(ctx.db, k.vmk, `member:${memberId}:box-retired:${String(n + 1).padStart(4, '0')}`, packed);
    k.retired.set(memberId, [{ publicKey: cur.box.publicKey, privateKey: cur.box.privateKey }, ...(k.retired.get(memberId) ?? [])]);
  }
  putSecret(ctx.db, k.vmk, `member:${memberId}:sign`, sign.privateKey);
  putSecret(ctx.db, k.vmk, `member:${memberId}:box`, box.privateKey);
  sql(ctx.db, 'UPDATE members SET ed25519_pub = ?, x25519_pub = ? WHERE member_id = ?').run(sign.publicKey, box.publicKey, memberId);
  k.members.set(memberId, { sign, box });
}

const toMember = (ctx: Ctx, r: MemberRow): Member => ({
  member_id: r.member_id,
  name: openText(ctx, 'member|' + r.member_id, { nonce: r.name_nonce, ciphertext: r.name_ct }),
  local: r.local === 1,
  public_keys: { ed25519: b64(r.ed25519_pub), x25519: b64(r.x25519_pub) },
});

export function getMember(ctx: Ctx, memberId: string): Member {
  const r = sql(ctx.db, 'SELECT * FROM members WHERE member_id = ?').get(memberId) as MemberRow | undefined;
  if (!r) throw notFound('member', memberId);
  return toMember(ctx, r);
}

export function listMembers(ctx: Ctx): Member[] {
  return (sql(ctx.db, 'SELECT * FROM members ORDER BY created_at').all() as MemberRow[]).map((r) => toMember(ctx, r));
}

export function memberBoxPublicKey(ctx: Ctx, memberId: string): Uint8Array {
  const r = sql(ctx.db, 'SELECT x25519_pub FROM members WHERE member_id = ?').get(memberId) as { x25519_pub: Buffer } | undefined;
  if (!r) throw notFound('member', memberId);
  return new Uint8Array(r.x25519_pub);
}
