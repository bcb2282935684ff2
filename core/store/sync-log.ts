import { keys, type Ctx } from '../app/context';
import { aeadDecrypt, aeadEncrypt, b64, fromB64, sign, verify } from '../crypto/sodium';
import { sha256Hex } from '../crypto/hash';
import { canonicalJson } from '../shared/json';
import { sql } from './statements';

/** Which log: the replicated sync log, or the device-only log that holds BLACK memories. */
export type LogName = 'sync_log' | 'local_log';

export interface LogEntry {
  space_id: string; doc_id: string; author_device: string; seq: number;
  key_id: string; nonce: Uint8Array; ciphertext: Uint8Array; signature: Uint8Array;
  /** set when the ciphertext was purged: the SHA-256 (hex) it was signed over */
  purged_sha256?: string | null;
}

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

function nextSeq(ctx: Ctx, log: LogName, space: string, device: string): number {
  const k = `${log}|${space}|${device}`;
  let seq = ctx.seqCache.get(k);
  if (seq === undefined) {
    const row = sql(ctx.db, `SELECT MAX(seq) AS s FROM ${log} WHERE space_id = ? AND author_device = ?`).get(space, device) as { s: number | null };
    seq = row.s ?? 0;
  }
  return seq + 1;
}

/**
 * Appends one encrypted, signed Yjs update inside the current unit of work. The seq cache is
 * cleared when a unit of work rolls back, so a failed call leaves no gap.
 */
export function appendUpdate(ctx: Ctx, log: LogName, space: string, doc: string, keyId: string, key: Uint8Array, update: Uint8Array): LogEntry {
  const k = keys(ctx);
  const seq = nextSeq(ctx, log, space, k.deviceId);
  const { nonce, ciphertext } = aeadEncrypt(update, entryAd(space, doc, keyId), key);
  const header = { space_id: space, doc_id: doc, author_device: k.deviceId, seq, key_id: keyId, nonce, ciphertext };
  const signature = sign(entrySigningBytes(header), k.deviceSign.privateKey);
  sql(ctx.db, `INSERT INTO ${log} (space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(space, doc, k.deviceId, seq, keyId, nonce, ciphertext, signature);
  ctx.seqCache.set(`${log}|${space}|${k.deviceId}`, seq);
  if (log === 'sync_log' && ctx.onSyncAppend && ctx.uow.active) ctx.uow.onCommit(ctx.onSyncAppend);
  return { ...header, signature };
}

/**
 * Appends a signed entry whose body is not encrypted under a shared key: keyring entries, whose
 * body is made of sealed boxes (each already encrypted to one member) and ids.
 */
export function appendSigned(ctx: Ctx, space: string, doc: string, keyId: string, body: Uint8Array): LogEntry {
  const k = keys(ctx);
  const seq = nextSeq(ctx, 'sync_log', space, k.deviceId);
  const header = { space_id: space, doc_id: doc, author_device: k.deviceId, seq, key_id: keyId, nonce: new Uint8Array(24), ciphertext: body };
  const signature = sign(entrySigningBytes(header), k.deviceSign.privateKey);
  sql(ctx.db, 'INSERT INTO sync_log (space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(space, doc, k.deviceId, seq, keyId, header.nonce, body, signature);
  ctx.seqCache.set(`sync_log|${space}|${k.deviceId}`, seq);
  if (ctx.onSyncAppend && ctx.uow.active) ctx.uow.onCommit(ctx.onSyncAppend);
  return { ...header, signature };
}

/** Stores an entry received from a peer, already verified (seq is the next one for its author). */
export function insertReceived(ctx: Ctx, e: LogEntry): void {
  sql(ctx.db, 'INSERT INTO sync_log (space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature, purged_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(e.space_id, e.doc_id, e.author_device, e.seq, e.key_id, e.nonce, e.ciphertext, e.signature, e.purged_sha256 ?? null);
  ctx.seqCache.delete(`sync_log|${e.space_id}|${e.author_device}`);
}

/** The entry a space holds at (author, seq), if any. */
export function entryAt(ctx: Ctx, space: string, author: string, seq: number): LogEntry | null {
  const r = sql(ctx.db, 'SELECT space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature, purged_sha256 FROM sync_log WHERE space_id = ? AND author_device = ? AND seq = ?').get(space, author, seq) as Row | undefined;
  return r ? toEntry(r) : null;
}

/** Entries of a space after a local row id, in local apply order (a sync session's cursor). */
export function entriesAfter(ctx: Ctx, space: string, afterId: number, limit: number): (LogEntry & { id: number })[] {
  return (sql(ctx.db, 'SELECT id, space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature, purged_sha256 FROM sync_log WHERE space_id = ? AND id > ? ORDER BY id LIMIT ?')
    .all(space, afterId, limit) as (Row & { id: number })[]).map((r) => ({ ...toEntry(r), id: r.id }));
}

/** A space's version vector: author device → highest seq held. */
export function spaceVector(ctx: Ctx, space: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of sql(ctx.db, 'SELECT author_device, MAX(seq) AS s FROM sync_log WHERE space_id = ? GROUP BY author_device').all(space) as { author_device: string; s: number }[]) out[r.author_device] = r.s;
  return out;
}

interface Row { space_id: string; doc_id: string; author_device: string; seq: number; key_id: string; nonce: Buffer; ciphertext: Buffer; signature: Buffer; purged_sha256?: string | null }

const toEntry = (r: Row): LogEntry => ({ space_id: r.space_id, doc_id: r.doc_id, author_device: r.author_device, seq: r.seq, key_id: r.key_id, nonce: new Uint8Array(r.nonce), ciphertext: new Uint8Array(r.ciphertext), signature: new Uint8Array(r.signature), purged_sha256: r.purged_sha256 ?? null });

/** Every entry of one document in local apply order. */
export function docEntries(ctx: Ctx, log: LogName, space: string, doc: string): LogEntry[] {
  return (sql(ctx.db, `SELECT space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature, purged_sha256 FROM ${log} WHERE space_id = ? AND doc_id = ? ORDER BY id`)
    .all(space, doc) as Row[]).map(toEntry);
}

/** Every entry of a log, in local apply order (for rebuilding the read model). */
export function* allEntries(ctx: Ctx, log: LogName): Generator<LogEntry> {
  for (const r of ctx.db.prepare(`SELECT space_id, doc_id, author_device, seq, key_id, nonce, ciphertext, signature, purged_sha256 FROM ${log} ORDER BY id`).iterate() as IterableIterator<Row>) {
    yield toEntry(r);
  }
}

export function decryptEntry(e: LogEntry, key: Uint8Array): Uint8Array | null {
  return aeadDecrypt({ nonce: e.nonce, ciphertext: e.ciphertext }, entryAd(e.space_id, e.doc_id, e.key_id), key);
}

export const entryToJson = (e: LogEntry): { space_id: string; doc_id: string; author_device: string; seq: number; key_id: string; nonce: string; ciphertext: string; signature: string; purged_sha256?: string } => ({
  space_id: e.space_id, doc_id: e.doc_id, author_device: e.author_device, seq: e.seq, key_id: e.key_id,
  nonce: b64(e.nonce), ciphertext: b64(e.ciphertext), signature: b64(e.signature),
  ...(e.purged_sha256 ? { purged_sha256: e.purged_sha256 } : {}),
});
export const entryFromJson = (j: ReturnType<typeof entryToJson>): LogEntry => ({
  space_id: j.space_id, doc_id: j.doc_id, author_device: j.author_device, seq: j.seq, key_id: j.key_id,
  nonce: fromB64(j.nonce), ciphertext: fromB64(j.ciphertext), signature: fromB64(j.signature),
  purged_sha256: typeof j.purged_sha256 === 'string' && /^[0-9a-f]{64}$/.test(j.purged_sha256) ? j.purged_sha256 : null,
});

/**
 * Purges the ciphertext of every entry of these documents (erasure, compaction): the header,
 * the signature and the hash the signature covers stay, so seq stays gap-free and the entry
 * still verifies on every peer. Returns how many entries it purged.
 */
export function purgeDocEntries(ctx: Ctx, space: string, docIds: string[], upToId = Number.MAX_SAFE_INTEGER): number {
  let n = 0;
  for (const doc of docIds) {
    const rows = sql(ctx.db, 'SELECT id, ciphertext FROM sync_log WHERE space_id = ? AND doc_id = ? AND purged_sha256 IS NULL AND id <= ?').all(space, doc, upToId) as { id: number; ciphertext: Buffer }[];
    for (const r of rows) {
      sql(ctx.db, "UPDATE sync_log SET purged_sha256 = ?, ciphertext = x'' WHERE id = ?").run(sha256Hex(new Uint8Array(r.ciphertext)), r.id);
      n++;
    }
  }
  return n;
}
