import { aeadDecrypt, aeadEncrypt, b64, fromB64, sign, verify } from '../crypto/sodium';
import { sha256Hex } from '../crypto/hash';
import { canonicalJson } from '../shared/json';
import { ApiError } from '../shared/errors';
import type { Db } from './database';
import type { UnitOfWork } from './unit-of-work';
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

export const entryAd = (space: string, doc: string, keyId: string): string => `entry|${space}|${doc}|${keyId}`;

/** What the author device signs: canonical JSON of the header plus the ciphertext's hash. */
export function entrySigningBytes(e: Omit<LogEntry, 'signature'>): string {
  return canonicalJson({
    v: 1, space_id: e.space_id, doc_id: e.doc_id, author_device: e.author_device, seq: e.seq,
    key_id: e.key_id, nonce: b64(e.nonce), ciphertext_sha256: e.purged_sha256 ?? sha256Hex(e.ciphertext),
  });
}

export function verifyEntrySignature(e: LogEntry, devicePublicKey: Uint8Array): boolean {
  return verify(e.signature, entrySigningBytes(e), devicePublicKey);
}

function signer(ctx: LogContext) {
  if (!ctx.keyring) throw new ApiError('LOCKED', 'the vault is locked: unlock it first');
  return ctx.keyring;
}

function nextSeq(ctx: LogContext, log: LogName, space: string, device: string): number {
  const k = `${log}|${space}|${device}`;
  return (ctx.seqCache.get(k) ?? entryLogsTable.maxSeq(ctx.db, log, space, device)) + 1;
}

function appendSignedEntry(ctx: LogContext, log: LogName, header: Omit<LogEntry, 'signature' | 'seq'>): LogEntry {
  const seq = nextSeq(ctx, log, header.space_id, header.author_device);
  const unsigned = { ...header, seq };
  const signature = sign(entrySigningBytes(unsigned), signer(ctx).deviceSign.privateKey);
  const entry = { ...unsigned, signature };
  entryLogsTable.insert(ctx.db, log, entry);
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
  const { nonce, ciphertext } = aeadEncrypt(update, entryAd(space, doc, keyId), key);
  return appendSignedEntry(ctx, log, { space_id: space, doc_id: doc, author_device: signer(ctx).deviceId, key_id: keyId, nonce, ciphertext });
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

/** A space's version vector: author device → highest seq held. */
export const spaceVector = ({ db }: HasDb, space: string): Record<string, number> => entryLogsTable.vector(db, space);

/** Every entry of one document in local apply order. */
export function docEntries({ db }: HasDb, log: LogName, space: string, doc: string): LogEntry[] {
  return entryLogsTable.ofDoc(db, log, space, doc).map(toEntry);
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
