import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { applyKeyringBody, KEYRING_DOC, KEYRING_KEY_ID, type KeyringBody } from '../spaces/epoch-keys';
import { SPACE_DOC } from '../spaces/space-doc';
import { materialiseSpace } from '../spaces/materialise';
import { spaceExists } from '../spaces/spaces';
import { entryAt, entryFromJson, insertReceived, spaceVector, verifyEntrySignature, type LogEntry } from '../store/sync-log';
import { applyMemberKeyChange } from '../members/member-key';
import { materialiseMemory } from '../memories/materialise';
import { materialiseFiles } from '../attachments/materialise-files';
import { applyTombstone, isTombstoned, mayErase, purgeErased, TOMBSTONE_DOC, TOMBSTONE_KEY_ID } from '../memories/erasure';
import { entryDenial, type Denial } from './authorize';
import { BatchMemo } from './batch-memo';
import { isEntry } from './frames';
import type { Prep, PrepKeys } from './receive-prep';
import { sameBytes } from '../shared/bytes';
import { ULID_RE } from '../shared/ulid';
import { isSealMap } from '../memories/memory-shape';

/**
 * Why an entry was not applied. `duplicate` (an identical entry already held: a replay) and
 * `gap` (an earlier seq of its author is missing: it will be sent again) are normal on a lossy
 * link; every other reason means a peer sent something that must never be applied.
 */
export type RefusalReason = 'malformed' | 'unknown_space' | 'unknown_device' | 'revoked_device' | 'bad_signature'
  | 'not_member' | 'bad_key_id' | 'conflict' | 'duplicate' | 'gap' | 'forbidden'
  /** a pairing whose two screens showed different codes (someone may sit in between) */
  | 'pair_code_mismatch'
  /** role checks (authorize.ts): what the author's role does not allow, or what cannot be verified where the policy needs it */
  | Denial;

export interface Refusal { reason: RefusalReason; space_id: string; author_device: string; seq: number; doc_id: string }
export interface ReceiveResult { stored: number; refused: Refusal[]; memories: number; vector: Record<string, number> }


// one pattern per space, not one per entry (a batch is one space's; building it was ~10 µs an entry)
const epochIds = new Map<string, RegExp>();
const epochIdPattern = (space: string): RegExp => {
  let re = epochIds.get(space);
  if (!re) {
    if (epochIds.size > 256) epochIds.clear();
    epochIds.set(space, (re = new RegExp(`^epoch:${space.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[1-9][0-9]{0,8}$`)));
  }
  return re;
};

function keyIdProblem(e: LogEntry): boolean {
  const epochId = epochIdPattern(e.space_id);
  if (e.doc_id === KEYRING_DOC) return e.key_id !== KEYRING_KEY_ID;
  if (e.doc_id === TOMBSTONE_DOC) return e.key_id !== TOMBSTONE_KEY_ID;
  if (e.doc_id === SPACE_DOC || e.doc_id.endsWith('.meta')) return !epochId.test(e.key_id);
  // a memory's files document is under the memory's own key
  if (e.doc_id.endsWith('.files')) return e.key_id !== `dek:${e.doc_id.slice(0, -6)}`;
  return e.key_id !== `dek:${e.doc_id}`;
}

/** absent, or id → base64, as startEpoch writes seals (anything else would throw where it is stored) */
const isSeals = (v: unknown): boolean => v === undefined || isSealMap(v);

function parseKeyring(e: LogEntry): KeyringBody | null {
  try {
    const b = JSON.parse(Buffer.from(e.ciphertext).toString('utf8')) as KeyringBody;
    if (!b || typeof b !== 'object' || !Number.isInteger(b.epoch) || b.epoch < 1) return null;
    if (b.origin !== undefined && !(typeof b.origin === 'string' && ULID_RE.test(b.origin))) return null;
    if (!isSeals(b.seals) || !isSeals(b.device_seals)) return null;
    if (b.chain !== undefined && !(b.chain && Number.isInteger(b.chain.epoch) && typeof b.chain.nonce === 'string' && typeof b.chain.ct === 'string')) return null;
    if (b.member_key !== undefined && !(b.member_key && typeof b.member_key === 'object')) return null;
    return b;
  } catch { return null; }
}

/**
 * A frame's preparation (receive-prep.ts) with the keys it was given: used entry by entry only
 * where this thread's state still matches them (the author's key now, the log and keys at the end).
 */
export interface PrepUse { prep: Prep; keys: PrepKeys }

/** What the last batch took from its preparation (tests): entries whose signature it did not verify again, memories written as prepared. */
let lastUse = { signatures: 0, memories: 0 };
const totalUse = { signatures: 0, memories: 0 };
export const lastPrepUse = (): { signatures: number; memories: number } => ({ ...lastUse });
/** The same, summed over every batch this process received. */
export const prepUseTotals = (): { signatures: number; memories: number } => ({ ...totalUse });

/** The copies of keys a preparation carried (the metadata key, each memory's key) live no longer than its frame (also one never applied). */
export function releasePrep(pre: PrepUse | null | undefined): void {
  if (!pre) return;
  pre.keys.metaKey?.key.fill(0);
  for (const m of pre.prep.memories) m.dek.fill(0);
}

/**
 * Verifies and stores one batch of a space's entries in one unit of work, in the order given:
 * the author device must be known and not revoked, its signature valid, its member a member of
 * the space, its seq the next one, its key id the one its document uses, and what it does
 * allowed to that member's role at this point of the log (authorize.ts). Keyring and space
 * documents are applied as they arrive (so later entries in the batch verify against them);
 * touched memories are materialised at the end. `pre`: the frame's preparation from the second
 * thread (receive-prep-thread.ts), taken only where it fits; its key copies are zeroed after.
 */
export function receiveEntries(ctx: Ctx, space: string, raw: unknown[], pre?: PrepUse): ReceiveResult {
  try {
    return applyEntries(ctx, space, raw, pre);
  } finally {
    releasePrep(pre); // also when the batch throws (a lock in the middle of it)
  }
}

function applyEntries(ctx: Ctx, space: string, raw: unknown[], pre?: PrepUse): ReceiveResult {
  const refused: Refusal[] = [];
  let stored = 0;
  const touched = new Set<string>();
  const authors = new Set<string>();
  const refuse = (reason: RefusalReason, e: Partial<LogEntry>) => refused.push({ reason, space_id: String(e.space_id ?? space).slice(0, 120), author_device: String(e.author_device ?? '?').slice(0, 40), seq: Number(e.seq) || 0, doc_id: String(e.doc_id ?? '?').slice(0, 60) });
  if (!spaceExists(ctx, space)) {
    for (const j of raw) refuse('unknown_space', (j ?? {}) as Partial<LogEntry>);
    return { stored, refused, memories: 0, vector: {} };
  }
  const vector = spaceVector(ctx, space);
  const prep = pre && pre.prep.entries.length === raw.length ? pre.prep : null;
  const prepared = new Map((prep?.memories ?? []).map((m) => [m.memoryId, { ...m, metaKey: pre!.keys.metaKey!.key }]));
  const memo = new BatchMemo(ctx, space, prepared);
  const use = { signatures: 0, memories: 0 };
  /** the entries this frame stored, by document (a new memory's content entry is not read back) */
  const fresh = new Map<string, LogEntry[]>();
  /** a keyring entry stored since the space document was last materialised */
  let keysSince = false;
  ctx.uow.run(() => {
    for (const [i, j] of raw.entries()) {
      // decoded on the preparing thread by the same code, or here
      const e = prep ? prep.entries[i] : isEntry(j) ? entryFromJson(j) : null;
      if (!e) { refuse('malformed', (j ?? {}) as Partial<LogEntry>); continue; }
      if (e.space_id !== space) { refuse('malformed', e); continue; }
      const dev = memo.device(e.author_device);
      if (!dev) { refuse('unknown_device', e); continue; }
      const pub = new Uint8Array(dev.ed25519_pub);
      // verified there against the key this device holds for the author now, or verified here
      const given = prep?.sigOk[i] && Object.hasOwn(pre!.keys.pubkeys, e.author_device) ? pre!.keys.pubkeys[e.author_device] : undefined;
      const signed = !!given && sameBytes(given, pub);
      if (signed) use.signatures++;
      else if (!verifyEntrySignature(e, pub)) { refuse('bad_signature', e); continue; }
      const max = vector[e.author_device] ?? 0;
      if (e.seq <= max) {
        const held = entryAt(ctx, space, e.author_device, e.seq);
        // the signature covers the whole entry (its ciphertext through its hash): equal signatures, same entry
        if (held && sameBytes(held.signature, e.signature)) refuse('duplicate', e);
        else refuse('conflict', e);
        continue;
      }
      if (e.seq > max + 1) { refuse('gap', e); continue; }
      if (dev.status === 'revoked') { refuse('revoked_device', e); continue; }
      if (!memo.role(dev.member_id)) { refuse('not_member', e); continue; }
      if (keyIdProblem(e)) { refuse('bad_key_id', e); continue; }
      let keyring: KeyringBody | null = null;
      if (e.doc_id === KEYRING_DOC && !(keyring = parseKeyring(e))) { refuse('malformed', e); continue; }
      let tomb: string | null = null;
      if (e.doc_id === TOMBSTONE_DOC) {
        try { tomb = String((JSON.parse(Buffer.from(e.ciphertext).toString('utf8')) as { memory_id: string }).memory_id); } catch { tomb = null; }
        if (!tomb || !ULID_RE.test(tomb)) { refuse('malformed', e); continue; }
        if (!mayErase(ctx, space, tomb, dev.member_id)) { refuse('forbidden', e); continue; }
      }
      const denial = entryDenial(ctx, space, dev.member_id, e, { keyring, spaceDoc: e.doc_id === SPACE_DOC, tombstone: !!tomb }, memo);
      if (denial) { refuse(denial, e); continue; }
      insertReceived(ctx, e);
      const same = fresh.get(e.doc_id);
      if (same) same.push(e); else fresh.set(e.doc_id, [e]);
      vector[e.author_device] = e.seq;
      stored++;
      authors.add(e.author_device);
      if (keyring) {
        // a member key change first: the seals of the epoch that follows are made to the new key
        if (keyring.member_key) applyMemberKeyChange(ctx, keyring.member_key);
        applyKeyringBody(ctx, space, keyring, e.author_device);
        keysSince = true;
        memo.changed();
      }
      else if (tomb) { applyTombstone(ctx, space, tomb, dev.member_id); touched.delete(tomb); memo.changed(); }
      else if (e.doc_id === SPACE_DOC) { materialiseSpace(ctx, space); keysSince = false; memo.changed(); }
      else touched.add(e.doc_id.endsWith('.meta') ? e.doc_id.slice(0, -5) : e.doc_id.endsWith('.files') ? e.doc_id.slice(0, -6) : e.doc_id);
    }
    // a keyring entry may open epochs the space doc was already waiting for (without one, the space
    // document is as it was last materialised: a frame of memories alone, ~2 ms each in an initial sync)
    if (keysSince) materialiseSpace(ctx, space);
    // (materialising below reads the log again after such an entry: memo.finalMeta is empty then)
    for (const id of touched) {
      if (isTombstoned(ctx, space, id)) { purgeErased(ctx, space, id); continue; }
      try {
        if (materialiseMemory(ctx, space, id, memo.finalMeta(id), prepared.get(id), fresh.get(id)) === 'prepared') use.memories++;
        // its files as the memory's files document and its (possibly new) key say
        materialiseFiles(ctx, space, id);
      } catch (err) {
        ctx.log.warn('materialise failed', { space_id: space, memory_id: id, error: (err as Error).name });
      }
    }
    if (stored) {
      // screens follow events, not polls: say what arrived (ids and counts only)
      emit(ctx, {
        topic: 'SYNC_APPLIED', space_id: space, actor: { member_id: keys(ctx).memberId, caps: [] },
        payload: { author_devices: [...authors].slice(0, 100), entries: stored, memory_ids: [...touched].filter((id) => ULID_RE.test(id)).slice(0, 1000) },
      });
    }
  });
  lastUse = use;
  totalUse.signatures += use.signatures;
  totalUse.memories += use.memories;
  return { stored, refused, memories: touched.size, vector };
}
