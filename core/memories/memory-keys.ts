import type { Band } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { aeadDecrypt, aeadEncrypt, b64, fromB64, seal, unseal } from '../crypto/sodium';
import { memberBoxKeys, memberBoxPublicKey } from '../members/members';
import { memberKeyExposed, sealTargetsOf } from '../members/devices';
import { epochKey, openUnderEpoch } from '../spaces/epoch-keys';
import { isB64, isDekWrap } from './memory-shape';

/** How a memory's DEK is wrapped, as the spec's key table says per band. Stored in the memory's meta doc. */
export type DekWrap =
  | { mode: 'epoch'; epoch: number; nonce: string; ct: string }
  /** RED: sealed to each reader's member key; `device_seals` to the devices of a reader whose key a revoked device still holds */
  | { mode: 'sealed'; seals: Record<string, string>; device_seals?: Record<string, string> }
  | { mode: 'device'; device_id: string; nonce: string; ct: string };

const dekAd = (space: string, memory: string): string => `dek|${space}|${memory}`;
export { dekKeyId } from './record-seal';

export function wrapDek(ctx: Ctx, dek: Uint8Array, space: string, memory: string, band: Band, epoch: number, readers: string[]): DekWrap {
  if (band === 'RED') {
    const seals: Record<string, string> = {};
    const device_seals: Record<string, string> = {};
    for (const m of readers) {
      if (memberKeyExposed(ctx, m)) for (const d of sealTargetsOf(ctx, m)) device_seals[d.device_id] = b64(seal(dek, d.x25519));
      else seals[m] = b64(seal(dek, memberBoxPublicKey(ctx, m)));
    }
    return Object.keys(device_seals).length ? { mode: 'sealed', seals, device_seals } : { mode: 'sealed', seals };
  }
  if (band === 'BLACK') {
    const w = aeadEncrypt(dek, dekAd(space, memory), keys(ctx).deviceLocalKey);
    return { mode: 'device', device_id: keys(ctx).deviceId, nonce: b64(w.nonce), ct: b64(w.ciphertext) };
  }
  const w = aeadEncrypt(dek, dekAd(space, memory), epochKey(ctx, space, epoch));
  return { mode: 'epoch', epoch, nonce: b64(w.nonce), ct: b64(w.ciphertext) };
}

/** An epoch-wrapped DEK opened with one of the keys given (the epoch's, held elsewhere): no state read. Null when none opens it. */
export function openEpochDek(space: string, memory: string, wrap: { nonce: string; ct: string }, keys: Uint8Array[]): Uint8Array | null {
  if (!isB64(wrap.nonce) || !isB64(wrap.ct)) return null; // read ahead of any check (receive-prep.ts): a wrap of another shape opens nothing
  const sealed = { nonce: fromB64(wrap.nonce), ciphertext: fromB64(wrap.ct) };
  for (const key of keys) {
    const dek = aeadDecrypt(sealed, dekAd(space, memory), key);
    if (dek) return dek;
  }
  return null;
}

/**
 * Opens a DEK. For RED, only the seal of `asMember` is tried when given: holding a local
 * profile's key is not a licence to read what was sealed to someone else.
 * `remember`: keep it in the DEK cache (false for a pass that reads each memory once, an export:
 * its keys would push out the ones in use, and each lives just long enough in the cache to reach
 * V8's old generation: ~22 MB of garbage for a full collection at 100k).
 * A wrap of a shape wrapDek does not write (another device may have written anything) opens
 * nothing, cached key or not: null, never a throw.
 */
export function unwrapDek(ctx: Ctx, space: string, memory: string, wrap: DekWrap, asMember?: string, remember = true): Uint8Array | null {
  if (!isDekWrap(wrap)) return null;
  const k = keys(ctx);
  if (!asMember) {
    const cached = k.deks.get(memory);
    if (cached) return cached;
  }
  let dek: Uint8Array | null = null;
  if (wrap.mode === 'epoch') {
    const sealed = { nonce: fromB64(wrap.nonce), ciphertext: fromB64(wrap.ct) };
    dek = openUnderEpoch(ctx, space, wrap.epoch, (key) => aeadDecrypt(sealed, dekAd(space, memory), key));
  } else if (wrap.mode === 'device') {
    if (wrap.device_id !== k.deviceId) return null;
    dek = aeadDecrypt({ nonce: fromB64(wrap.nonce), ciphertext: fromB64(wrap.ct) }, dekAd(space, memory), k.deviceLocalKey);
  } else {
    const candidates = asMember ? [asMember] : Object.keys(wrap.seals);
    for (const m of candidates) {
      const sealed = wrap.seals[m];
      if (!sealed) continue;
      for (const box of memberBoxKeys(ctx, m)) { dek = unseal(fromB64(sealed), box); if (dek) break; }
      if (dek) break;
    }
    // sealed to this device, for its person: opens for that person only
    const toDevice = wrap.device_seals?.[k.deviceId];
    if (!dek && toDevice && (!asMember || asMember === k.memberId)) dek = unseal(fromB64(toDevice), k.deviceBox);
  }
  if (dek && !asMember && remember) k.deks.set(memory, dek);
  return dek;
}
