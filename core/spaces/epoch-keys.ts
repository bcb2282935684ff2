import { keys, type Ctx } from '../context/ctx';
import { aeadDecrypt, aeadEncrypt, b64, newKey, seal, unseal } from '../crypto/sodium';
import { capsOf, keyMissing } from '../policy/authorize';
import { memberBoxKeys, memberBoxPublicKey } from '../members/members';
import { deviceRow } from '../members/devices';
import type { MemberKeyChange } from '../members/member-key';
import { appendSigned, decryptEntry, type LogEntry } from '../store/sync-log';
import { epochChainTable, epochSealsTable } from '../store/tables/epoch-keys';
import { spaceMembersTable } from '../store/tables/spaces';

export const epochKeyId = (space: string, epoch: number): string => `epoch:${space}:${epoch}`;

/** The keyring document of a space: signed entries that carry epoch-key seals and the epoch chain. */
export const KEYRING_DOC = 'keyring';
export const KEYRING_KEY_ID = 'keyring:v1';

export interface KeyringBody {
  epoch: number;
  /** the device whose entry started this epoch's key (absent in entries from before: their author) */
  origin?: string;
  /** member_id → crypto_box_seal of the epoch key to that member's X25519 key (base64) */
  seals?: Record<string, string>;
  /** device_id → the epoch key sealed to one device's X25519 key: a person's remaining devices when a guardian revoked another of theirs */
  device_seals?: Record<string, string>;
  /** the previous epoch's key encrypted under this epoch's key */
  chain?: { epoch: number; nonce: string; ct: string };
  /** a member's new public keys after a rotation, certified by the old key, private keys sealed to the member's remaining devices */
  member_key?: MemberKeyChange;
}

const chainAd = (space: string, epoch: number) => `chain|${space}|${epoch}`;
/** How a seal to one device is filed among the members' seals. */
export const deviceSealId = (deviceId: string): string => `device:${deviceId}`;
const cacheKey = (space: string, epoch: number) => `${space}#${epoch}`;

export function appendKeyring(ctx: Ctx, space: string, body: KeyringBody): void {
  appendSigned(ctx, space, KEYRING_DOC, KEYRING_KEY_ID, Buffer.from(JSON.stringify(body), 'utf8'));
}

function forget(ctx: Ctx, space: string, epoch: number): void {
  const k = keys(ctx);
  k.epochKeys.delete(cacheKey(space, epoch));
  k.epochCandidates.delete(cacheKey(space, epoch));
}

/**
 * The space's roster changed (a member added, removed, or given another role): which of an
 * epoch's keys everyone writes under depends on it (originRank), so every epoch of the space is
 * chosen again at its next use.
 */
export function forgetEpochKeys(ctx: Ctx, space: string): void {
  const k = ctx.keyring;
  if (!k) return;
  const prefix = `${space}#`;
  for (const key of [...k.epochCandidates.keys()]) if (key.startsWith(prefix)) k.epochCandidates.delete(key);
  for (const key of [...k.epochKeys.keys()]) if (key.startsWith(prefix)) k.epochKeys.delete(key);
}

/** A unit of work rolled back: the seals and roster it read epoch keys from may be gone with it. */
export function forgetAllEpochKeys(ctx: Ctx): void {
  ctx.keyring?.epochCandidates.clear();
  ctx.keyring?.epochKeys.clear();
}

/**
 * How a key's origin ranks when one epoch has several keys: an administrator's device first, then
 * a current member's, then anyone else's (a member since removed). A member who is not an
 * administrator may start the next epoch (their own device's revocation) and seal it to everyone
 * but the administrators; when an administrator then removes them, the rotation cannot skip an
 * epoch it holds no key of, and by the lowest origin alone the others would go on writing under
 * the key the removed member chose.
 */
function originRank(ctx: Ctx, space: string, origin: string): number {
  const member = deviceRow(ctx, origin)?.member_id;
  const role = member ? spaceMembersTable.roleOf(ctx.db, space, member)?.role : undefined;
  return !role ? 2 : capsOf(role).includes('ADMIN') ? 0 : 1;
}

/**
 * A fresh epoch key, started by this device: sealed to each member's X25519 key (or, for a
 * person whose device a guardian revoked, to that person's remaining devices), with the previous
 * key chained under it.
 */
export function startEpoch(ctx: Ctx, space: string, epoch: number, memberIds: string[], deviceSeals: { device_id: string; x25519: Uint8Array }[] = []): Uint8Array {
  const origin = keys(ctx).deviceId;
  const key = newKey();
  if (epoch > 1) {
    const prev = epochKey(ctx, space, epoch - 1);
    const w = aeadEncrypt(prev, chainAd(space, epoch - 1), key);
    epochChainTable.put(ctx.db, space, epoch - 1, origin, w.nonce, w.ciphertext);
    appendKeyring(ctx, space, { epoch, origin, chain: { epoch: epoch - 1, nonce: b64(w.nonce), ct: b64(w.ciphertext) } });
  }
  for (const m of memberIds) sealWithOrigin(ctx, space, epoch, key, origin, m);
  if (deviceSeals.length) {
    const device_seals: Record<string, string> = {};
    for (const d of deviceSeals) {
      const sealed = seal(key, d.x25519);
      epochSealsTable.put(ctx.db, space, epoch, deviceSealId(d.device_id), origin, sealed);
      device_seals[d.device_id] = b64(sealed);
    }
    appendKeyring(ctx, space, { epoch, origin, device_seals });
  }
  forget(ctx, space, epoch);
  return key;
}

function sealWithOrigin(ctx: Ctx, space: string, epoch: number, key: Uint8Array, origin: string, memberId: string): void {
  const sealed = seal(key, memberBoxPublicKey(ctx, memberId));
  epochSealsTable.put(ctx.db, space, epoch, memberId, origin, sealed);
  appendKeyring(ctx, space, { epoch, origin, seals: { [memberId]: b64(sealed) } });
}

/** Seals the epoch key every device writes under to a member (a new member), as a keyring entry every device receives. */
export function sealEpochTo(ctx: Ctx, space: string, epoch: number, key: Uint8Array, memberId: string): void {
  sealWithOrigin(ctx, space, epoch, key, canonicalOrigin(ctx, space, epoch) ?? keys(ctx).deviceId, memberId);
}

/** Stores what a received keyring entry carries (already verified), under the origin it names. */
export function applyKeyringBody(ctx: Ctx, space: string, body: KeyringBody, author: string): void {
  const origin = body.origin ?? author;
  for (const [member, sealed] of Object.entries(body.seals ?? {})) epochSealsTable.addIfAbsent(ctx.db, space, body.epoch, member, origin, Buffer.from(sealed, 'base64'));
  for (const [device, sealed] of Object.entries(body.device_seals ?? {})) epochSealsTable.addIfAbsent(ctx.db, space, body.epoch, deviceSealId(device), origin, Buffer.from(sealed, 'base64'));
  if (body.chain) {
    epochChainTable.addIfAbsent(ctx.db, space, body.chain.epoch, origin, Buffer.from(body.chain.nonce, 'base64'), Buffer.from(body.chain.ct, 'base64'));
    forget(ctx, space, body.chain.epoch);
  }
  forget(ctx, space, body.epoch);
}

/** Whether this device can open an epoch key (without throwing). */
export function hasEpochKey(ctx: Ctx, space: string, epoch: number): boolean {
  return epochKeys(ctx, space, epoch).length > 0;
}

/** Every key this device can open for an epoch with its origin, in the order originRank gives, then lowest origin first. */
function openEpochKeys(ctx: Ctx, space: string, epoch: number, depth: number): { origin: string; key: Uint8Array }[] {
  const k = keys(ctx);
  const out = new Map<string, Uint8Array>();
  for (const s of epochSealsTable.of(ctx.db, space, epoch)) {
    if (out.has(s.origin)) continue;
    const boxes = s.member_id.startsWith('device:') ? (s.member_id === deviceSealId(k.deviceId) ? [k.deviceBox] : []) : memberBoxKeys(ctx, s.member_id);
    for (const box of boxes) {
      const key = unseal(new Uint8Array(s.sealed), box);
      if (key) { out.set(s.origin, key); break; }
    }
  }
  // an older epoch is chained under a newer one: open the newer one's keys, then the link under each
  const links = epochChainTable.links(ctx.db, space, epoch);
  if (links.length && depth < 1000) {
    const next = epochKeysAt(ctx, space, epoch + 1, depth + 1);
    for (const l of links) {
      if (out.has(l.origin)) continue;
      for (const n of next) {
        const key = aeadDecrypt({ nonce: l.nonce, ciphertext: l.ciphertext }, chainAd(space, epoch), n);
        if (key) { out.set(l.origin, key); break; }
      }
    }
  }
  const ranked = [...out.entries()].map(([origin, key]) => ({ origin, key, rank: out.size > 1 ? originRank(ctx, space, origin) : 0 }));
  return ranked.sort((a, b) => a.rank - b.rank || (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0)).map(({ origin, key }) => ({ origin, key }));
}

function epochKeysAt(ctx: Ctx, space: string, epoch: number, depth: number): Uint8Array[] {
  const k = keys(ctx);
  const cached = k.epochCandidates.get(cacheKey(space, epoch));
  if (cached) return cached;
  const opened = openEpochKeys(ctx, space, epoch, depth);
  const list = opened.map((o) => o.key);
  // keys of two origins may be the same key sealed twice: keep each once
  const unique = list.filter((key, i) => list.findIndex((x) => Buffer.compare(Buffer.from(x), Buffer.from(key)) === 0) === i);
  if (unique.length) {
    k.epochCandidates.set(cacheKey(space, epoch), unique);
    k.epochKeys.set(cacheKey(space, epoch), unique[0]!);
  }
  return unique;
}

/** Every key of an epoch this device holds, the one everyone writes under first: what decrypting tries. */
export const epochKeys = (ctx: Ctx, space: string, epoch: number): Uint8Array[] => epochKeysAt(ctx, space, epoch, 0);

function canonicalOrigin(ctx: Ctx, space: string, epoch: number): string | null {
  return openEpochKeys(ctx, space, epoch, 0)[0]?.origin ?? null;
}

/**
 * The key of an epoch that every device writes under: of the keys started for it (two guardians
 * may start the same epoch concurrently), the first by originRank (an administrator's device,
 * then a current member's), then the one whose origin device id sorts lowest — the same on every
 * device that holds them and has the same roster. What was written under another still opens
 * (epochKeys).
 */
export function epochKey(ctx: Ctx, space: string, epoch: number): Uint8Array {
  const cached = keys(ctx).epochKeys.get(cacheKey(space, epoch));
  if (cached) return cached;
  const all = epochKeys(ctx, space, epoch);
  if (!all.length) throw keyMissing('NO_EPOCH_KEY', `no local member can open epoch ${epoch} of ${space}`);
  return all[0]!;
}

/** Opens something under any key of an epoch (null when none of them does, or none is held). */
export function openUnderEpoch<T>(ctx: Ctx, space: string, epoch: number, open: (key: Uint8Array) => T | null): T | null {
  for (const key of epochKeys(ctx, space, epoch)) {
    const r = open(key);
    if (r !== null) return r;
  }
  return null;
}

/** The epoch a key id names (`epoch:<space>:<n>`), or null. */
export const epochOfKeyId = (keyId: string): number | null => (keyId.startsWith('epoch:') ? Number(keyId.split(':').pop()) || null : null);

/** Whether this device already holds a seal or a chain link a peer's keyring entry would add. */
export const holdsSeal = (ctx: Ctx, space: string, epoch: number, member: string): boolean => !!epochSealsTable.has(ctx.db, space, epoch, member);
export const holdsChainLink = (ctx: Ctx, space: string, epoch: number): boolean => epochChainTable.links(ctx.db, space, epoch).length > 0;

/** A log entry under an epoch key (`epoch:<space>:<n>`), opened with whichever key of that epoch it was written under; null when none opens it. */
export function decryptEpochEntry(ctx: Ctx, e: LogEntry): Uint8Array | null {
  const epoch = epochOfKeyId(e.key_id);
  return epoch ? openUnderEpoch(ctx, e.space_id, epoch, (k) => decryptEntry(e, k)) : null;
}
