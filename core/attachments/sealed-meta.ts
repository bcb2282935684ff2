import { aeadDecrypt, aeadEncrypt, b64, fromB64 } from '../crypto/sodium';
import type { AttachmentRow } from '../store/tables/attachments';

/** What an attachment row seals under its memory's key: who may open the memory may open these, nobody else. */
export interface AttachmentMeta {
  name: string; mime: string; size: number; sha256: string;
  /** the blob's own secretstream key (base64) */
  key: string;
}

type Ids = Pick<AttachmentRow, 'attachment_id' | 'memory_id' | 'space_id' | 'blob_id'>;

// binds the sealed part to its row: moved to another memory or pointed at another blob, it no longer opens
const ad = (r: Ids): string => `attachment|${r.space_id}|${r.memory_id}|${r.attachment_id}|${r.blob_id}`;

export function sealMeta(ids: Ids, meta: AttachmentMeta, dek: Uint8Array): { nonce: Uint8Array; ct: Uint8Array } {
  const s = aeadEncrypt(Buffer.from(JSON.stringify(meta), 'utf8'), ad(ids), dek);
  return { nonce: s.nonce, ct: s.ciphertext };
}

/** null when the row does not authenticate under this key */
export function openMeta(row: AttachmentRow, dek: Uint8Array): AttachmentMeta | null {
  const plain = aeadDecrypt({ nonce: row.nonce, ciphertext: row.ct }, ad(row), dek);
  if (!plain) return null;
  try { return JSON.parse(Buffer.from(plain).toString('utf8')) as AttachmentMeta; } catch { return null; }
}

export const blobKeyOf = (meta: AttachmentMeta): Uint8Array => fromB64(meta.key);
export const encodeKey = (key: Uint8Array): string => b64(key);
