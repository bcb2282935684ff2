import { keys, type Ctx } from '../context/ctx';
import { b64, boxKeyPair, fromB64, random, seal, sign, signKeyPair, unseal, verify, type BoxKeyPair, type SignKeyPair } from '../crypto/sodium';
import { canonicalJson } from '../shared/json';
import { memberPublicKeys, replaceLocalMemberKeys, setMemberPublicKeys } from './members';

/**
 * A member's key rotation as every device of the space receives it (inside a keyring entry):
 * the new public keys, certified by the member's previous Ed25519 key (so a receiver holding
 * only public keys can tell the rotation is the member's own), and the new private keys sealed
 * to each of the member's remaining devices, the only ones that may take them on.
 */
export interface MemberKeyChange {
  member_id: string; ed25519: string; x25519: string;
  /** signature by the previous member Ed25519 key over certBytes */
  cert: string;
  /** device_id → the new private keys sealed to that device's X25519 key */
  sealed: Record<string, { sign: string; box: string }>;
}

const certBytes = (m: Pick<MemberKeyChange, 'member_id' | 'ed25519' | 'x25519'>, prevEd25519: string): string =>
  canonicalJson({ v: 1, kind: 'member-key-rotation', member_id: m.member_id, prev_ed25519: prevEd25519, ed25519: m.ed25519, x25519: m.x25519 });

/**
 * Rotates a local member's keys (inside a unit of work): a new Ed25519 and X25519 pair, certified
 * by the old signing key, sealed to the given devices. From here on this device seals to the new
 * key; the old box key is kept as retired so history stays readable here.
 */
export function rotateLocalMemberKey(ctx: Ctx, memberId: string, devices: { device_id: string; x25519_pub: Uint8Array }[]): MemberKeyChange {
  const k = keys(ctx);
  const old = k.members.get(memberId);
  if (!old) throw new Error('not a local member');
  const s = signKeyPair();
  const bx = boxKeyPair();
  const pub = { member_id: memberId, ed25519: b64(s.publicKey), x25519: b64(bx.publicKey) };
  const cert = b64(sign(certBytes(pub, b64(old.sign.publicKey)), old.sign.privateKey));
  const sealed: MemberKeyChange['sealed'] = {};
  for (const d of devices) sealed[d.device_id] = { sign: b64(seal(s.privateKey, d.x25519_pub)), box: b64(seal(bx.privateKey, d.x25519_pub)) };
  replaceLocalMemberKeys(ctx, memberId, s, bx);
  return { ...pub, cert, sealed };
}

/** Whether a received rotation is certified by the member key this device holds for that member now. */
export function verifyMemberKeyChange(ctx: Ctx, m: MemberKeyChange): boolean {
  if (!m || typeof m.member_id !== 'string' || typeof m.ed25519 !== 'string' || typeof m.x25519 !== 'string' || typeof m.cert !== 'string') return false;
  const cur = memberPublicKeys(ctx, m.member_id);
  if (!cur) return false;
  // the same rotation arrives once per space: after the first, this device already holds its keys
  if (b64(cur.ed25519) === m.ed25519 && b64(cur.x25519) === m.x25519) return true;
  try { return verify(fromB64(m.cert), certBytes(m, b64(cur.ed25519)), cur.ed25519); } catch { return false; }
}

/** The private keys really are those of the published public keys (a probe through each). */
function matches(s: SignKeyPair, bx: BoxKeyPair): boolean {
  const probe = random(32);
  const back = unseal(seal(probe, bx.publicKey), bx);
  return verify(sign(probe, s.privateKey), probe, s.publicKey) && !!back && Buffer.compare(Buffer.from(back), Buffer.from(probe)) === 0;
}

/**
 * Applies a verified rotation (inside a unit of work): every device records the new public keys;
 * a remaining device of that member also takes on the new private keys sealed to it. A device
 * the rotation left out (the revoked one) is never sent it, and could not open it anyway.
 */
export function applyMemberKeyChange(ctx: Ctx, m: MemberKeyChange): 'adopted' | 'public' {
  const k = keys(ctx);
  const held = k.members.get(m.member_id);
  if (held && b64(held.sign.publicKey) === m.ed25519 && b64(held.box.publicKey) === m.x25519) return 'adopted';
  const mine = k.members.has(m.member_id) ? m.sealed?.[k.deviceId] : undefined;
  if (mine) {
    const sp = unseal(fromB64(mine.sign), k.deviceBox);
    const bp = unseal(fromB64(mine.box), k.deviceBox);
    const s = sp && { publicKey: fromB64(m.ed25519), privateKey: sp };
    const bx = bp && { publicKey: fromB64(m.x25519), privateKey: bp };
    if (s && bx && matches(s, bx)) {
      replaceLocalMemberKeys(ctx, m.member_id, s, bx);
      return 'adopted';
    }
  }
  setMemberPublicKeys(ctx, m.member_id, fromB64(m.ed25519), fromB64(m.x25519));
  return 'public';
}
