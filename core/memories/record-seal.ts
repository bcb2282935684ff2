import { aeadEncrypt, type Sealed } from '../crypto/sodium';
import type { Content, Meta } from './memory-doc';

// How a memory's read model is sealed: the associated data that binds each sealed part to its
// row, the metadata's frame, and the sealing itself. Pure (keys in, ciphertext out, no database),
// so a bulk import's second thread seals what it builds (fresh-updates.ts) exactly as a write here does.

type Ids = { space_id: string; memory_id: string };

export const dekKeyId = (memoryId: string): string => `dek:${memoryId}`;
export const metaAd = (r: Ids, keyId: string) => `readmodel-meta|${r.space_id}|${r.memory_id}|${keyId}`;
export const contentAd = (r: Ids, keyId: string) => `readmodel|${r.space_id}|${r.memory_id}|${keyId}`;
export const stateAd = (r: Ids, keyId: string) => `readmodel-state|${r.space_id}|${r.memory_id}|${keyId}`;

// Sealed metadata is [u32 length][JSON meta][Yjs state]: unlock parses only the small JSON part.
export function frameMeta(meta: Meta, state: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(meta));
  const out = Buffer.allocUnsafe(4 + json.length + state.length);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  out.set(state, 4 + json.length);
  return out;
}

export function unframeMeta(plain: Uint8Array): { meta: Meta; state: Uint8Array } {
  const buf = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  const len = buf.readUInt32BE(0);
  return { meta: JSON.parse(buf.toString('utf8', 4, 4 + len)) as Meta, state: plain.subarray(4 + len) };
}

/** A memory's read model as sealed: its metadata and content, and each document's state as one update. */
export interface RecordSource { meta: Meta; metaState: Uint8Array; content: Content; contentState: Uint8Array }

/** The metadata key of a record: the space's epoch key (or the device's own, BLACK) and its id. */
export interface MetaKey { keyId: string; key: Uint8Array }

/** The three sealed parts of a read-model row: the framed metadata (metadata key), the content and its document state (the DEK). */
export interface SealedRecord { meta: Sealed; content: Sealed; state: Sealed }

export function sealRecord(ids: Ids, src: RecordSource, dek: Uint8Array, mk: MetaKey): SealedRecord {
  const keyId = dekKeyId(ids.memory_id);
  return {
    meta: aeadEncrypt(frameMeta(src.meta, src.metaState), metaAd(ids, mk.keyId), mk.key),
    content: aeadEncrypt(Buffer.from(JSON.stringify(src.content)), contentAd(ids, keyId), dek),
    state: aeadEncrypt(src.contentState, stateAd(ids, keyId), dek),
  };
}
