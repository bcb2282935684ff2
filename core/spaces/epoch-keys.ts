import { keys, type Ctx } from '../app/context';
import { aeadDecrypt, aeadEncrypt, b64, newKey, seal, unseal } from '../crypto/sodium';
import { ApiError } from '../shared/errors';
import { memberBoxKeys, memberBoxPublicKey } from '../members/members';
import { appendSigned } from '../store/sync-log';
import { sql } from '../store/statements';

export const epochKeyId = (space: string, epoch: number): string => `epoch:${space}:${epoch}`;

/** The keyring document of a space: signed entries that carry epoch-key seals and the epoch chain. */
export const KEYRING_DOC = 'keyring';
export const KEYRING_KEY_ID = 'keyring:v1';

export interface KeyringBody {
  epoch: number;
  /** member_id → crypto_box_seal of the epoch key to that member's X25519 key (base64) */
  seals?: Record<string, string>;
  /** the previous epoch's key encrypted under this epoch's key */
  chain?: { epoch: number; nonce: string; ct: string };
  /** a member's new public keys after a rotation, certified by the old key, private keys sealed to the member's remaining devices */
  member_key?: import('../members/member-key').MemberKeyChange;
}

const chainAd = (space: string, epoch: number) => `chain|${space}|${epoch}`;

export function appendKeyring(ctx: Ctx, space: string, body: KeyringBody): void {
  appendSigned(ctx, space, KEYRING_DOC, KEYRING_KEY_ID, Buffer.from(JSON.stringify(body), 'utf8'));
}

/** A fresh epoch key sealed to each member's X25519 key; the previous key is chained under it. */
export function startEpoch(ctx: Ctx, space: string, epoch: number, memberIds: string[]): Uint8Array {
  const key = newKey();
  keys(ctx).epochKeys.set(`${space}#${epoch}`, key);
  if (epoch > 1) {
    const prev = epochKey(ctx, space, epoch - 1);
    const w = aeadEncrypt(prev, chainAd(space, epoch - 1), key);
    sql(ctx.db, 'INSERT OR REPLACE INTO epoch_chain (space_id, epoch, nonce, ciphertext) VALUES (?, ?, ?, ?)').run(space, epoch - 1, w.nonce, w.ciphertext);
    appendKeyring(ctx, space, { epoch, chain: { epoch: epoch - 1, nonce: b64(w.nonce), ct: b64(w.ciphertext) } });
  }
  for (const m of memberIds) sealEpochTo(ctx, space, epoch, key, m);
  return key;
}

/** Seals an epoch key to a member, locally and as a keyring entry every device of the space receives. */
export function sealEpochTo(ctx: Ctx, space: string, epoch: number, key: Uint8Array, memberId: string): void {
  const sealed = seal(key, memberBoxPublicKey(ctx, memberId));
  sql(ctx.db, 'INSERT OR REPLACE INTO epoch_seals (space_id, epoch, member_id, sealed) VALUES (?, ?, ?, ?)').run(space, epoch, memberId, sealed);
  appendKeyring(ctx, space, { epoch, seals: { [memberId]: b64(sealed) } });
}

/** Stores what a received keyring entry carries (already verified). */
export function applyKeyringBody(ctx: Ctx, space: string, body: KeyringBody): void {
  for (const [member, sealed] of Object.entries(body.seals ?? {})) {
    sql(ctx.db, 'INSERT OR IGNORE INTO epoch_seals (space_id, epoch, member_id, sealed) VALUES (?, ?, ?, ?)').run(space, body.epoch, member, Buffer.from(sealed, 'base64'));
  }
  if (body.chain) {
    sql(ctx.db, 'INSERT OR IGNORE INTO epoch_chain (space_id, epoch, nonce, ciphertext) VALUES (?, ?, ?, ?)')
      .run(space, body.chain.epoch, Buffer.from(body.chain.nonce, 'base64'), Buffer.from(body.chain.ct, 'base64'));
  }
}

/** Whether this device can open an epoch key (without throwing). */
export function hasEpochKey(ctx: Ctx, space: string, epoch: number): boolean {
  try { epochKey(ctx, space, epoch); return true; } catch { return false; }
}

/** Opens an epoch key with any local member's key that it was sealed to, or through the chain from a later epoch. */
export function epochKey(ctx: Ctx, space: string, epoch: number, depth = 0): Uint8Array {
  const k = keys(ctx);
  const cached = k.epochKeys.get(`${space}#${epoch}`);
  if (cached) return cached;
  const seals = sql(ctx.db, 'SELECT member_id, sealed FROM epoch_seals WHERE space_id = ? AND epoch = ?').all(space, epoch) as { member_id: string; sealed: Buffer }[];
  for (const s of seals) {
    for (const box of memberBoxKeys(ctx, s.member_id)) {
      const key = unseal(new Uint8Array(s.sealed), box);
      if (key) {
        k.epochKeys.set(`${space}#${epoch}`, key);
        return key;
      }
    }
  }
  const link = sql(ctx.db, 'SELECT nonce, ciphertext FROM epoch_chain WHERE space_id = ? AND epoch = ?').get(space, epoch) as { nonce: Buffer; ciphertext: Buffer } | undefined;
  if (link && depth < 1000) {
    let next: Uint8Array | null = null;
    try { next = epochKey(ctx, space, epoch + 1, depth + 1); } catch { next = null; }
    const key = next && aeadDecrypt({ nonce: link.nonce, ciphertext: link.ciphertext }, chainAd(space, epoch), next);
    if (key) {
      k.epochKeys.set(`${space}#${epoch}`, key);
      return key;
    }
  }
  throw new ApiError('FORBIDDEN', 'this device holds no key for that space epoch', { reasons: [{ code: 'NO_EPOCH_KEY', message: `no local member can open epoch ${epoch} of ${space}` }] });
}
