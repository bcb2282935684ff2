import * as Y from 'yjs';
import { keys, type Ctx } from '../context/ctx';
import { aeadDecrypt } from '../crypto/sodium';
import { ApiError, notFound } from '../shared/errors';
import { epochKey, epochKeyId, epochKeys } from '../spaces/epoch-keys';
import { spaceRow } from '../spaces/spaces';
import { deviceClientId, docFromUpdates } from '../crdt/doc-update';
import { memoriesTable, type IndexRow, type MemoryRow } from '../store/tables/memories';
import { type Content, type Meta, readContent } from './memory-doc';
import { unwrapDek, type DekWrap } from './memory-keys';
import { contentAd, dekKeyId, metaAd, sealRecord, stateAd, unframeMeta, type MetaKey, type RecordSource, type SealedRecord } from './record-seal';

export type { RecordSource };

/** A read-model row with its metadata decrypted; content stays sealed until asked for. */
export interface MemoryRecord {
  memory_id: string; space_id: string; band: Meta['band']; type: Meta['type'];
  author: string; origin_device: string; created_at: number; updated_at: number;
  deleted_at: number | null; expires_at: number | null; version: number;
  meta: Meta; metaState: Uint8Array;
  sealed: { key_id: string; nonce: Uint8Array; ciphertext: Uint8Array; state_nonce: Uint8Array; state_ct: Uint8Array };
}

type Row = MemoryRow;

/** The key that seals a memory's metadata: the space epoch key, or for BLACK the device-only key. */
export function metaKeyFor(ctx: Ctx, space: string, band: Meta['band']): MetaKey {
  if (band === 'BLACK') return { keyId: `device:${keys(ctx).deviceId}`, key: keys(ctx).deviceLocalKey };
  const epoch = spaceRow(ctx, space).epoch;
  return { keyId: epochKeyId(space, epoch), key: epochKey(ctx, space, epoch) };
}

/** Every key a row's sealed metadata may be under: the device key, or each key of the epoch it names. */
function metaKeysById(ctx: Ctx, space: string, keyId: string): Uint8Array[] {
  if (keyId.startsWith('device:')) return [keys(ctx).deviceLocalKey];
  return epochKeys(ctx, space, Number(keyId.split(':').pop()));
}

/** The sealed metadata of a row, or null when it does not authenticate (wrong key, moved row, flipped byte). */
function openMeta(ctx: Ctx, r: Pick<Row, 'memory_id' | 'space_id' | 'meta_key_id' | 'meta_nonce' | 'meta_ct'>): { meta: Meta; state: Uint8Array } | null {
  // no key for the epoch the row names: it cannot be authenticated here
  let plain: Uint8Array | null = null;
  for (const key of metaKeysById(ctx, r.space_id, r.meta_key_id)) {
    plain = aeadDecrypt({ nonce: r.meta_nonce, ciphertext: r.meta_ct }, metaAd(r, r.meta_key_id), key);
    if (plain) break;
  }
  if (!plain) return null;
  try { return unframeMeta(plain); } catch { return null; }
}

/** The plaintext index columns that must say what the sealed metadata says. */
function disagreeing(r: Pick<Row, 'band' | 'type' | 'author' | 'origin_device' | 'created_at' | 'deleted_at' | 'expires_at'>, meta: Meta): string[] {
  const bad: string[] = [];
  if (r.band !== meta.band) bad.push('band');
  if (r.type !== meta.type) bad.push('type');
  if (r.author !== meta.author) bad.push('author');
  if (r.origin_device !== meta.origin_device) bad.push('origin_device');
  if (r.created_at !== meta.created_at) bad.push('created_at');
  if ((r.deleted_at ?? null) !== (meta.deleted_at ?? null)) bad.push('deleted_at');
  if ((r.expires_at ?? null) !== (meta.expires_at ?? null)) bad.push('expires_at');
  return bad;
}

/**
 * A read-model row with its metadata authenticated: every fact a decision uses (band, author,
 * recipients, origin device, trash and expiry) comes from the AEAD-opened sealed metadata; the
 * plaintext columns are indexes only. A row that does not authenticate is CORRUPT; one whose
 * columns disagree with its sealed metadata is TAMPERED — both noted (audited once), neither
 * ever resolved in favour of the column.
 */
export function recordFromRow(ctx: Ctx, r: Row): MemoryRecord {
  const opened = openMeta(ctx, r);
  if (!opened) {
    ctx.problems.note({ record: 'memory', id: r.memory_id, space_id: r.space_id, kind: 'corrupt', fields: [] });
    throw new ApiError('CORRUPT', `memory ${r.memory_id} failed authentication: it is unavailable, nothing else is affected`, { id: r.memory_id });
  }
  const { meta, state } = opened;
  const fields = disagreeing(r, meta);
  if (fields.length) {
    ctx.problems.note({ record: 'memory', id: r.memory_id, space_id: r.space_id, kind: 'tampered', fields });
    throw new ApiError('TAMPERED', `memory ${r.memory_id} was altered on disk: ${fields.join(', ')} disagree with its sealed metadata`, { id: r.memory_id, fields });
  }
  return {
    memory_id: r.memory_id, space_id: r.space_id, band: meta.band, type: meta.type, author: meta.author, origin_device: meta.origin_device,
    created_at: meta.created_at, updated_at: r.updated_at, deleted_at: meta.deleted_at ?? null, expires_at: meta.expires_at ?? null, version: r.version,
    meta, metaState: state,
    sealed: { key_id: r.key_id, nonce: r.nonce, ciphertext: r.ciphertext, state_nonce: r.state_nonce, state_ct: r.state_ct },
  };
}

export function findRecord(ctx: Ctx, memoryId: string): MemoryRecord | null {
  const r = memoriesTable.find(ctx.db, memoryId);
  return r ? recordFromRow(ctx, r) : null;
}

export function loadRecord(ctx: Ctx, memoryId: string): MemoryRecord {
  const rec = findRecord(ctx, memoryId);
  if (!rec) throw notFound('memory', memoryId);
  return rec;
}

/** The fields of a record that indexing needs. */
export type IndexSource = Pick<MemoryRecord, 'memory_id' | 'space_id' | 'band' | 'type' | 'updated_at' | 'author'> & { recipients: string[]; created_at?: number };

/**
 * Every live memory this device can open, with its content: what unlock indexes. Who may find a
 * memory (its band, author, recipients) comes from its authenticated metadata, never from a
 * column; a row that fails authentication or disagrees is noted and left out of the index.
 */
export function* liveContents(ctx: Ctx): Generator<{ rec: IndexSource; content: Content }> {
  for (const r of livePages(ctx)) {
    const opened = openMeta(ctx, r);
    if (!opened) { ctx.problems.note({ record: 'memory', id: r.memory_id, space_id: r.space_id, kind: 'corrupt', fields: [] }); continue; }
    const { meta } = opened;
    const fields = disagreeing(r, meta);
    if (fields.length) { ctx.problems.note({ record: 'memory', id: r.memory_id, space_id: r.space_id, kind: 'tampered', fields }); continue; }
    const dek = unwrapDek(ctx, r.space_id, r.memory_id, meta.dek as DekWrap);
    if (!dek) continue; // RED sealed to no one here: listed from metadata only, nothing to index
    const c = aeadDecrypt({ nonce: r.nonce, ciphertext: r.ciphertext }, contentAd(r, r.key_id), dek);
    if (!c) { ctx.problems.note({ record: 'memory', id: r.memory_id, space_id: r.space_id, kind: 'corrupt', fields: [] }); continue; }
    yield {
      rec: { memory_id: r.memory_id, space_id: r.space_id, band: meta.band, type: meta.type, updated_at: r.updated_at, author: meta.author, recipients: meta.recipients ?? [], created_at: meta.created_at },
      content: JSON.parse(Buffer.from(c).toString('utf8')) as Content,
    };
  }
}

/** Live rows a page at a time: between pages the connection is free, so the consumer may write (the index refill does). */
function* livePages(ctx: Ctx, size = 500): Generator<IndexRow> {
  let after = '';
  for (;;) {
    const page = memoriesTable.livePage(ctx.db, after, size);
    yield* page;
    if (page.length < size) return;
    after = page[page.length - 1]!.memory_id;
  }
}

/** A record's content, or CORRUPT naming it (its key opened but its ciphertext does not authenticate). */
export function openContentOrFail(ctx: Ctx, rec: MemoryRecord, dek: Uint8Array): Content {
  const c = openContent(rec, dek);
  if (!c) {
    ctx.problems.note({ record: 'memory', id: rec.memory_id, space_id: rec.space_id, kind: 'corrupt', fields: [] });
    throw new ApiError('CORRUPT', `memory ${rec.memory_id} failed authentication: it is unavailable, nothing else is affected`, { id: rec.memory_id });
  }
  return c;
}

export function openContent(rec: MemoryRecord, dek: Uint8Array): Content | null {
  const plain = aeadDecrypt({ nonce: rec.sealed.nonce, ciphertext: rec.sealed.ciphertext }, contentAd(rec, rec.sealed.key_id), dek);
  return plain ? (JSON.parse(Buffer.from(plain).toString('utf8')) as Content) : null;
}

/** The content document as this device last saw it, ready for an edit by this device's client id. */
export function openContentDoc(ctx: Ctx, rec: MemoryRecord, dek: Uint8Array): Y.Doc {
  const state = aeadDecrypt({ nonce: rec.sealed.state_nonce, ciphertext: rec.sealed.state_ct }, stateAd(rec, rec.sealed.key_id), dek);
  if (!state) {
    ctx.problems.note({ record: 'memory', id: rec.memory_id, space_id: rec.space_id, kind: 'corrupt', fields: [] });
    throw new ApiError('CORRUPT', `memory ${rec.memory_id} failed authentication: it is unavailable, nothing else is affected`, { id: rec.memory_id });
  }
  return docFromUpdates([state], deviceClientId(keys(ctx).deviceId));
}

export function openMetaDoc(ctx: Ctx, rec: MemoryRecord): Y.Doc {
  return docFromUpdates([rec.metaState], deviceClientId(keys(ctx).deviceId));
}

/**
 * Writes (insert or replace) the encrypted read model of one memory from its two documents; returns what it wrote.
 * `states`: a document's state as one update when the caller holds it already — a fresh document
 * that one update built (a memory received whole) is that update, and encoding it again costs
 * as much as applying it did. `metaDoc` is then not read: a function, so a document built only
 * on demand (materialise.ts's held metadata) is not built for it.
 */
export function saveRecord(ctx: Ctx, memoryId: string, space: string, meta: Meta, metaDoc: Y.Doc | (() => Y.Doc), contentDoc: Y.Doc, dek: Uint8Array, version: number, states: { meta?: Uint8Array; content?: Uint8Array } = {}): { rec: MemoryRecord; content: Content } {
  return saveRecordOf(ctx, memoryId, space, {
    meta, metaState: states.meta ?? Y.encodeStateAsUpdate(typeof metaDoc === 'function' ? metaDoc() : metaDoc),
    content: readContent(contentDoc), contentState: states.content ?? Y.encodeStateAsUpdate(contentDoc),
  }, dek, version);
}

/**
 * saveRecord from what the documents hold, when the caller has it without them (a new memory:
 * fresh-updates.ts), and sealed already when the caller sealed it (an import's second thread).
 */
export function saveRecordOf(ctx: Ctx, memoryId: string, space: string, src: RecordSource, dek: Uint8Array, version: number, mk = metaKeyFor(ctx, space, src.meta.band), sealed?: SealedRecord): { rec: MemoryRecord; content: Content } {
  const { meta, metaState, content } = src;
  const ids = { space_id: space, memory_id: memoryId };
  const { meta: m, content: c, state: s } = sealed ?? sealRecord(ids, src, dek, mk);
  const keyId = dekKeyId(memoryId);
  const rec: MemoryRecord = {
    memory_id: memoryId, space_id: space, band: meta.band, type: meta.type, author: meta.author, origin_device: meta.origin_device,
    created_at: meta.created_at, updated_at: content.updated_at || meta.created_at, deleted_at: meta.deleted_at ?? null,
    expires_at: meta.expires_at ?? null, version, meta, metaState,
    sealed: { key_id: keyId, nonce: c.nonce, ciphertext: c.ciphertext, state_nonce: s.nonce, state_ct: s.ciphertext },
  };
  memoriesTable.put(ctx.db, {
    memory_id: memoryId, space_id: space, band: rec.band, type: rec.type, author: rec.author, origin_device: rec.origin_device,
    created_at: rec.created_at, updated_at: rec.updated_at, deleted_at: rec.deleted_at, expires_at: rec.expires_at, version,
    meta_key_id: mk.keyId, meta_nonce: m.nonce, meta_ct: m.ciphertext, key_id: keyId, nonce: c.nonce, ciphertext: c.ciphertext,
    // the key wrap lives in the sealed metadata only: a plaintext copy would be one more column to trust
    state_nonce: s.nonce, state_ct: s.ciphertext, dek_wrap: null,
  });
  ctx.problems.clear(memoryId);
  return { rec, content };
}

/** Drops a memory's read model (erasure, shredding, or a key this device no longer holds). */
export const dropRecord = (ctx: Ctx, memoryId: string): void => { memoriesTable.delete(ctx.db, memoryId); };

/** How many memories this device holds (a device that holds any cannot be linked as new). */
export const countMemories = (ctx: Ctx): number => memoriesTable.count(ctx.db);
