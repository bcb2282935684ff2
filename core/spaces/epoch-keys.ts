import { keys, type Ctx } from '../context/ctx';
import { aeadDecrypt, aeadEncrypt, b64, newKey, seal, unseal } from '../crypto/sodium';
import { keyMissing } from '../policy/authorize';
import { memberBoxKeys, memberBoxPublicKey } from '../members/members';
import type { MemberKeyChange } from '../members/member-key';
import { appendSigned } from '../store/sync-log';
import { epochChainTable, epochSealsTable } from '../store/tables/epoch-keys';

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
  member_key?: MemberKeyChange;
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
    epochChainTable.put(ctx.db, space, epoch - 1, w.nonce, w.ciphertext);
    appendKeyring(ctx, space, { epoch, chain: { epoch: epoch - 1, nonce: b64(w.nonce), ct: b64(w.ciphertext) } });
  }
  for (const m of memberIds) sealEpochTo(ctx, space, epoch, key, m);
  return key;
}

/** Seals an epoch key to a member, locally and as a keyring entry every device of the space receives. */
export function sealEpochTo(ctx: Ctx, space: string, epoch: number, key: Uint8Array, memberId: string): void {
  const sealed = seal(key, memberBoxPublicKey(ctx, memberId));
  epochSealsTable.put(ctx.db, space, epoch, memberId, sealed);
  appendKeyring(ctx, space, { epoch, seals: { [memberId]: b64(sealed) } });
}

/** Stores what a received keyring entry carries (already verified). */
export function applyKeyringBody(ctx: Ctx, space: string, body: KeyringBody): void {
  for (const [member, sealed] of Object.entries(body.seals ?? {})) {
    epochSealsTable.addIfAbsent(ctx.db, space, body.epoch, member, Buffer.from(sealed, 'base64'));
  }
  if (body.chain) {
    epochChainTable.addIfAbsent(ctx.db, space, body.chain.epoch, Buffer.from(body.chain.nonce, 'base64'), Buffer.from(body.chain.ct, 'base64'));
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
  for (const s of epochSealsTable.of(ctx.db, space, epoch)) {
    for (const box of memberBoxKeys(ctx, s.member_id)) {
      const key = unseal(new Uint8Array(s.sealed), box);
      if (key) {
        k.epochKeys.set(`${space}#${epoch}`, key);
        return key;
      }
    }
  }
  const link = epochChainTable.link(ctx.db, space, epoch);
  if (link && depth < 1000) {
    let next: Uint8Array | null = null;
    try { next = epochKey(ctx, space, epoch + 1, depth + 1); } catch { next = null; }
    const key = next && aeadDecrypt({ nonce: link.nonce, ciphertext: link.ciphertext }, chainAd(space, epoch), next);
    if (key) {
      k.epochKeys.set(`${space}#${epoch}`, key);
      return key;
    }
  }
  throw keyMissing('NO_EPOCH_KEY', `no local member can open epoch ${epoch} of ${space}`);
}

/** Whether this device already holds a seal or a chain link a peer's keyring entry would add. */
export const holdsSeal = (ctx: Ctx, space: string, epoch: number, member: string): boolean => !!epochSealsTable.has(ctx.db, space, epoch, member);
export const holdsChainLink = (ctx: Ctx, space: string, epoch: number): boolean => !!epochChainTable.link(ctx.db, space, epoch);
