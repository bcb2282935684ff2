import { aeadDecrypt, b64, fromB64, sign, verify } from '../crypto/sodium';
import { sha256Hex } from '../crypto/hash';
import { canonicalJson } from '../shared/json';
import { ApiError } from '../shared/errors';
import type { Db } from './database';
import type { UnitOfWork } from './unit-of-work';
import { entryAd, sealEntry, type SealedEntry } from './entry-seal';
import { leafHash, pathOf, ProvenNodes, sameHash, treeLevels, walkPath } from './merkle-tree';
import { entryLogsTable, type EntryRow, type LogName } from './tables/entry-logs';

export type { LogName };

export interface LogEntry {
  space_id: string; doc_id: string; author_device: string; seq: number;
  key_id: string; nonce: Uint8Array; ciphertext: Uint8Array; signature: Uint8Array;
  /** set when the ciphertext was purged: the SHA-256 (hex) it was signed over */
  purged_sha256?: string | null;
}

/**
 * What appending needs from the open vault, named here so the store depends on no layer above
 * it: the database and its unit of work, this device's signing key while unlocked, the seq cache,
 * and a hook run after a commit that appended to the sync log (live push to peers).
 */
export interface LogContext {
  readonly db: Db;
  readonly uow: UnitOfWork;
  readonly keyring: { readonly deviceId: string; readonly deviceSign: { readonly privateKey: Uint8Array } } | null;
  readonly seqCache: Map<string, number>;
  readonly hooks: { logAppended?: () => void };
}

/** Reads need only the database; any context that holds one will do. */
export interface HasDb { readonly db: Db }

export { entryAd };

/** What the author device signs: canonical JSON of the header plus the ciphertext's hash. */
export function entrySigningBytes(e: Omit<LogEntry, 'signature'>, ciphertextSha256?: string): string {
  return canonicalJson({
    v: 1, space_id: e.space_id, doc_id: e.doc_id, author_device: e.author_device, seq: e.seq,
    key_id: e.key_id, nonce: b64(e.nonce), ciphertext_sha256: e.purged_sha256 ?? ciphertextSha256 ?? sha256Hex(e.ciphertext),
  });
}

/**
 * An entry's signature is one of two forms, told apart by length:
 * - 64 bytes: Ed25519 by author_device over entrySigningBytes (every single write);
 * - a batch proof (bulk import): one Ed25519 signature over the Merkle root of up to
 *   BATCH_LEAVES consecutive entries of one author in one space, and this entry's path to it:
 *   [0x02][count u32 BE][index u32 BE][Ed25519 signature, 64][path: 32-byte hashes, leaf upward].
 *   The leaf is SHA-256(0x00 ‖ entrySigningBytes), an inner node SHA-256(0x01 ‖ left ‖ right), the
 *   tree RFC 9162's (its last odd node moves up unhashed), and the signed bytes batchStatement's.
 * An entry verifies alone either way: a receiver needs no other entry of its batch, a purged entry
 * still verifies (the leaf covers the ciphertext through its hash), and any changed byte of the
 * header, ciphertext, index, count, path or signature fails it.
 */
export function verifyEntrySignature(e: LogEntry, devicePublicKey: Uint8Array): boolean {
  if (e.signature.length === 64) return verify(e.signature, entrySigningBytes(e), devicePublicKey);
  const proof = parseBatchProof(e.signature);
  if (!proof) return false;
  // the entries of one batch share its signature and most of their paths: a node an earlier entry
  // proved is compared, not hashed again, and a root that was verified is not verified again
  const memo = `${b64(devicePublicKey)}|${b64(proof.signature)}|${proof.count}`;
  const tree = provenTrees.get(memo);
  const bound = tree && tree.space === e.space_id && tree.author === e.author_device ? tree.nodes : undefined;
  const walk = walkPath(entryLeaf(e), proof.index, proof.count, proof.path, bound);
  if (!walk) return false;
  let nodes = bound && sameHash(bound.root, walk.root) ? bound : undefined;
  if (!nodes) {
    if (!verify(proof.signature, batchStatement(e.space_id, e.author_device, proof.count, walk.root), devicePublicKey)) return false;
    nodes = new ProvenNodes(walk.root);
    provenTrees.set(memo, { space: e.space_id, author: e.author_device, nodes });
    if (provenTrees.size > PROVEN_TREES) provenTrees.delete(provenTrees.keys().next().value!);
  }
  for (const [level, index, hash] of walk.nodes) nodes.add(level, index, hash);
  return true;
}

// ---- batch-signed entries (bulk import) ------------------------------------------------------

/** Entries under one batch signature: a path of 7 hashes (224 bytes), 16 signatures per 1,000 imported memories. */
export const BATCH_LEAVES = 128;
const BATCH_TAG = 0x02;
const HEAD = 1 + 4 + 4 + 64;
/** trees whose root was verified, with the nodes proven so far (one batch's are a few KB) */
const PROVEN_TREES = 256;
const provenTrees = new Map<string, { space: string; author: string; nodes: ProvenNodes }>();
const entryLeaf = (e: Omit<LogEntry, 'signature'>, ciphertextSha256?: string): Uint8Array => leafHash(Buffer.from(entrySigningBytes(e, ciphertextSha256), 'utf8'));

/** What a batch's author signs: its space, author device, size and Merkle root. */
export const batchStatement = (space: string, author: string, count: number, root: Uint8Array): string =>
  canonicalJson({ v: 2, kind: 'entry_batch', space_id: space, author_device: author, count, root_sha256: Buffer.from(root).toString('hex') });

function parseBatchProof(sig: Uint8Array): { count: number; index: number; signature: Uint8Array; path: Uint8Array[] } | null {
  if (sig.length < HEAD || sig[0] !== BATCH_TAG || (sig.length - HEAD) % 32 !== 0) return null;
  const dv = new DataView(sig.buffer, sig.byteOffset, sig.byteLength);
  const count = dv.getUint32(1); const index = dv.getUint32(5);
  if (count < 2 || count > BATCH_LEAVES || index >= count) return null;
  const path: Uint8Array[] = [];
  for (let o = HEAD; o < sig.length; o += 32) path.push(sig.subarray(o, o + 32));
  return { count, index, signature: sig.subarray(9, HEAD), path };
}

/** Signs one run of entries (one author, one space, 2..BATCH_LEAVES of them): one Ed25519 signature, a proof each. */
export function signBatch(entries: Omit<LogEntry, 'signature'>[], privateKey: Uint8Array, ciphertextSha256s: (string | undefined)[] = []): Uint8Array[] {
  const first = entries[0]!;
  const levels = treeLevels(entries.map((e, k) => entryLeaf(e, ciphertextSha256s[k])));
  const root = levels[levels.length - 1]![0]!;
  const signature = sign(batchStatement(first.space_id, first.author_device, entries.length, root), privateKey);
  return entries.map((_, index) => {
    const path = pathOf(levels, index);
    const out = new Uint8Array(HEAD + 32 * path.length);
    const dv = new DataView(out.buffer);
    out[0] = BATCH_TAG; dv.setUint32(1, entries.length); dv.setUint32(5, index);
    out.set(signature, 9);
    path.forEach((p, k) => out.set(p, HEAD + 32 * k));
    return out;
  });
}

/** `sha256`: its ciphertext's hash, when the sealing computed it already (sealEntry) */
interface PendingEntry { log: LogName; entry: Omit<LogEntry, 'signature'>; sha256?: string }
const pendingBatches = new WeakMap<LogContext, PendingEntry[]>();

/**
 * Runs fn (inside the current unit of work) with this device's appends held back, then signs them
 * in runs of up to BATCH_LEAVES consecutive entries of one log and space — one Ed25519 signature
 * per run instead of one per entry — and stores them in the order appended. A bulk import's
 * writes only: nothing inside fn may read back the entries it appends (they are not stored yet),
 * and an appendUpdate inside it returns its entry unsigned. Single writes stay signed one by one.
 */
export function withBatchSignature<T>(ctx: LogContext, fn: () => T): T {
  if (pendingBatches.has(ctx)) return fn();
  const pending: PendingEntry[] = [];
  pendingBatches.set(ctx, pending);
  let out: T;
  try { out = fn(); } finally { pendingBatches.delete(ctx); }
  const key = signer(ctx).deviceSign.privateKey;
  for (let i = 0; i < pending.length;) {
    const { log, entry } = pending[i]!;
    let j = i + 1;
    while (j < pending.length && j - i < BATCH_LEAVES && pending[j]!.log === log && pending[j]!.entry.space_id === entry.space_id) j++;
    const runOf = pending.slice(i, j);
    const run = runOf.map((p) => p.entry);
    const signatures = run.length === 1 ? [sign(entrySigningBytes(run[0]!, runOf[0]!.sha256), key)] : signBatch(run, key, runOf.map((p) => p.sha256));
    run.forEach((e, k) => entryLogsTable.insert(ctx.db, log, { ...e, signature: signatures[k]! }));
    i = j;
  }
  return out;
}

function signer(ctx: LogContext) {
  if (!ctx.keyring) throw new ApiError('LOCKED', 'the vault is locked: unlock it first');
  return ctx.keyring;
}

function nextSeq(ctx: LogContext, log: LogName, space: string, device: string): number {
  const k = `${log}|${space}|${device}`;
  return (ctx.seqCache.get(k) ?? entryLogsTable.maxSeq(ctx.db, log, space, device)) + 1;
}

function appendSignedEntry(ctx: LogContext, log: LogName, header: Omit<LogEntry, 'signature' | 'seq'>, sha256?: string): LogEntry {
  const seq = nextSeq(ctx, log, header.space_id, header.author_device);
  const unsigned = { ...header, seq };
  const pending = pendingBatches.get(ctx);
  let entry: LogEntry;
  if (pending) {
    // signed and stored with its batch when withBatchSignature's fn returns
    pending.push({ log, entry: unsigned, sha256 });
    entry = { ...unsigned, signature: new Uint8Array(0) };
  } else {
    entry = { ...unsigned, signature: sign(entrySigningBytes(unsigned, sha256), signer(ctx).deviceSign.privateKey) };
    entryLogsTable.insert(ctx.db, log, entry);
  }
  ctx.seqCache.set(`${log}|${header.space_id}|${header.author_device}`, seq);
  const hook = ctx.hooks.logAppended;
  if (log === 'sync_log' && hook && ctx.uow.active) ctx.uow.onCommit(hook);
  return entry;
}

/**
 * Appends one encrypted, signed Yjs update inside the current unit of work. The seq cache is
 * cleared when a unit of work rolls back, so a failed call leaves no gap.
 */
export function appendUpdate(ctx: LogContext, log: LogName, space: string, doc: string, keyId: string, key: Uint8Array, update: Uint8Array): LogEntry {
  return appendSealed(ctx, log, space, doc, keyId, sealEntry(space, doc, keyId, key, update));
}

/** appendUpdate of an update sealed already (sealEntry: an import's second thread seals its entries). */
export function appendSealed(ctx: LogContext, log: LogName, space: string, doc: string, keyId: string, sealed: SealedEntry): LogEntry {
  const { nonce, ciphertext, ciphertext_sha256 } = sealed;
  return appendSignedEntry(ctx, log, { space_id: space, doc_id: doc, author_device: signer(ctx).deviceId, key_id: keyId, nonce, ciphertext }, ciphertext_sha256);
}

/**
 * Appends a signed entry whose body is not encrypted under a shared key: keyring and tombstone
 * entries, whose bodies are sealed boxes (each already encrypted to one member) and ids.
 */
export function appendSigned(ctx: LogContext, space: string, doc: string, keyId: string, body: Uint8Array): LogEntry {
  return appendSignedEntry(ctx, 'sync_log', { space_id: space, doc_id: doc, author_device: signer(ctx).deviceId, key_id: keyId, nonce: new Uint8Array(24), ciphertext: body });
}

/** Stores an entry received from a peer, already verified (seq is the next one for its author). */
export function insertReceived(ctx: LogContext, e: LogEntry): void {
  entryLogsTable.insert(ctx.db, 'sync_log', e);
  ctx.seqCache.delete(`sync_log|${e.space_id}|${e.author_device}`);
}

const toEntry = (r: EntryRow): LogEntry => ({
  space_id: r.space_id, doc_id: r.doc_id, author_device: r.author_device, seq: r.seq, key_id: r.key_id,
  nonce: new Uint8Array(r.nonce), ciphertext: new Uint8Array(r.ciphertext), signature: new Uint8Array(r.signature), purged_sha256: r.purged_sha256 ?? null,
});

/** The entry a space holds at (author, seq), if any. */
export function entryAt({ db }: HasDb, space: string, author: string, seq: number): LogEntry | null {
  const r = entryLogsTable.at(db, space, author, seq);
  return r ? toEntry(r) : null;
}

/** Entries of a space after a local row id, in local apply order (a sync session's cursor). */
export function entriesAfter({ db }: HasDb, space: string, afterId: number, limit: number): (LogEntry & { id: number })[] {
  return entryLogsTable.after(db, space, afterId, limit).map((r) => ({ ...toEntry(r), id: r.id }));
}

/** Whether this device holds any entry of a space after a local row id. */
export const entriesAfterId = ({ db }: HasDb, space: string, afterId: number): boolean => entryLogsTable.anyAfter(db, space, afterId);

/** How many entries of a space this device stored after a local row id, and the last one's id. */
export const entriesSince = ({ db }: HasDb, space: string, afterId: number): { n: number; last: number } => entryLogsTable.since(db, space, afterId);

/** A space's version vector: author device → highest seq held. */
export const spaceVector = ({ db }: HasDb, space: string): Record<string, number> => entryLogsTable.vector(db, space);

/** Every entry of one document in local apply order. */
export function docEntries({ db }: HasDb, log: LogName, space: string, doc: string): LogEntry[] {
  return entryLogsTable.ofDoc(db, log, space, doc).map(toEntry);
}

/**
 * A document's entries in the sync log when `fresh` (entries this unit of work stored for it, in
 * the order stored) may be all of them: they are, when the log holds as many (an index count), and
 * then no row is read back. Else the log's.
 */
export function docEntriesWith(ctx: HasDb, space: string, doc: string, fresh: LogEntry[]): LogEntry[] {
  return entryLogsTable.countOfDoc(ctx.db, space, doc) === fresh.length ? fresh : docEntries(ctx, 'sync_log', space, doc);
}

/** Every entry of a log, in local apply order (for rebuilding the read model). */
export function* allEntries({ db }: HasDb, log: LogName): Generator<LogEntry> {
  for (const r of entryLogsTable.iterateAll(db, log)) yield toEntry(r);
}

export function decryptEntry(e: LogEntry, key: Uint8Array): Uint8Array | null {
  return aeadDecrypt({ nonce: e.nonce, ciphertext: e.ciphertext }, entryAd(e.space_id, e.doc_id, e.key_id), key);
}

export type EntryJson = { space_id: string; doc_id: string; author_device: string; seq: number; key_id: string; nonce: string; ciphertext: string; signature: string; purged_sha256?: string };

export const entryToJson = (e: LogEntry): EntryJson => ({
  space_id: e.space_id, doc_id: e.doc_id, author_device: e.author_device, seq: e.seq, key_id: e.key_id,
  nonce: b64(e.nonce), ciphertext: b64(e.ciphertext), signature: b64(e.signature),
  ...(e.purged_sha256 ? { purged_sha256: e.purged_sha256 } : {}),
});
export const entryFromJson = (j: EntryJson): LogEntry => ({
  space_id: j.space_id, doc_id: j.doc_id, author_device: j.author_device, seq: j.seq, key_id: j.key_id,
  nonce: fromB64(j.nonce), ciphertext: fromB64(j.ciphertext), signature: fromB64(j.signature),
  purged_sha256: typeof j.purged_sha256 === 'string' && /^[0-9a-f]{64}$/.test(j.purged_sha256) ? j.purged_sha256 : null,
});

/**
 * Purges the ciphertext of every entry of these documents (erasure, compaction): the header,
 * the signature and the hash the signature covers stay, so seq stays gap-free and the entry
 * still verifies on every peer. Returns how many entries it purged.
 */
export function purgeDocEntries({ db }: HasDb, space: string, docIds: string[], upToId = Number.MAX_SAFE_INTEGER): number {
  let n = 0;
  for (const doc of docIds) {
    for (const r of entryLogsTable.unpurged(db, space, doc, upToId)) {
      entryLogsTable.purge(db, sha256Hex(new Uint8Array(r.ciphertext)), r.id);
      n++;
    }
  }
  return n;
}

/** The local row id of a document's newest entry (compaction purges up to it). */
export const lastEntryId = ({ db }: HasDb, space: string, doc: string): number => entryLogsTable.lastId(db, space, doc);

/** BLACK documents leave the device-only log: shredded, or re-entered into the sync log when lowered. */
export const dropLocalDocs = ({ db }: HasDb, space: string, docIds: string[]): void => entryLogsTable.deleteLocalDocs(db, space, docIds);
