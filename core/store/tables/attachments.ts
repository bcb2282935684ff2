import type { Db } from '../database';
import { dynamic, placeholders, query, scalar } from '../query';

/** A file of a memory (migration 017): everything but the ids and the time is sealed under the memory's key. */
export interface AttachmentRow { attachment_id: string; memory_id: string; space_id: string; blob_id: string; created_at: number; nonce: Buffer; ct: Buffer }
/** One encrypted copy of a file's bytes in a space, shared by every attachment of the same bytes there. */
export interface BlobRow { blob_id: string; space_id: string; dedupe_key: Buffer; header: Buffer; chunk_size: number; chunks: number; size: number; complete: number; created_at: number }

const ATT = 'attachment_id, memory_id, space_id, blob_id, created_at, nonce, ct';
const BLOB = 'blob_id, space_id, dedupe_key, header, chunk_size, chunks, size, complete, created_at';

const blobsOfMemory = query<[string], { blob_id: string }>('SELECT DISTINCT blob_id FROM attachments WHERE memory_id = ?');
const deleteOfMemory = query<[string]>('DELETE FROM attachments WHERE memory_id = ?');
const deleteOne = query<[string]>('DELETE FROM attachments WHERE attachment_id = ?');
const refs = scalar<[string]>('SELECT COUNT(*) FROM attachments WHERE blob_id = ?');
const deleteChunks = query<[string]>('DELETE FROM attachment_chunks WHERE blob_id = ?');
const deleteBlob = query<[string]>('DELETE FROM attachment_blobs WHERE blob_id = ?');

/** Drops a blob and its chunks when no attachment points at it any more; true when it went. */
function dropIfUnreferenced(db: Db, blobId: string): boolean {
  if (refs.get(db, blobId) > 0) return false;
  deleteChunks.run(db, blobId);
  deleteBlob.run(db, blobId);
  return true;
}

export const attachmentsTable = {
  find: query<[string], AttachmentRow>(`SELECT ${ATT} FROM attachments WHERE attachment_id = ?`).get,
  ofMemory: query<[string], AttachmentRow>(`SELECT ${ATT} FROM attachments WHERE memory_id = ? ORDER BY created_at, attachment_id`).all,
  /** the attachments that share a blob (dedupe: one of them may hand over the blob's key) */
  ofBlob: query<[string], AttachmentRow>(`SELECT ${ATT} FROM attachments WHERE blob_id = ? ORDER BY created_at`).all,
  put: (db: Db, r: Omit<AttachmentRow, 'nonce' | 'ct'> & { nonce: Uint8Array; ct: Uint8Array }): void => {
    insertAttachment.run(db, r.attachment_id, r.memory_id, r.space_id, r.blob_id, r.created_at, r.nonce, r.ct);
  },
  /** attachment.delete: the row, and its blob's chunks unless another attachment in the space holds the same bytes */
  delete: (db: Db, attachmentId: string, blobId: string): boolean => {
    deleteOne.run(db, attachmentId);
    return dropIfUnreferenced(db, blobId);
  },
  /**
   * Erasure of a memory (tombstone, shred, trash retention): every attachment row of it and
   * every chunk no other attachment shares. The caller's checkpoint makes it final on disk.
   */
  eraseOfMemory: (db: Db, memoryId: string): number => {
    const blobs = blobsOfMemory.all(db, memoryId).map((r) => r.blob_id);
    deleteOfMemory.run(db, memoryId);
    return blobs.filter((b) => dropIfUnreferenced(db, b)).length;
  },
  countOfMemory: scalar<[string]>('SELECT COUNT(*) FROM attachments WHERE memory_id = ?').get,
  /** which memories of an id range (after, upTo] have files: one query for a page of memories instead of one per memory */
  memoriesWithFilesIn: (db: Db, after: string, upTo: string): Set<string> => new Set(memoriesWithFiles.all(db, after, upTo).map((r) => r.memory_id)),
};

const memoriesWithFiles = query<[string, string], { memory_id: string }>('SELECT DISTINCT memory_id FROM attachments WHERE memory_id > ? AND memory_id <= ?');
const insertAttachment = query<unknown[]>(`INSERT INTO attachments (${ATT}) VALUES (?, ?, ?, ?, ?, ?, ?)`);

export const attachmentBlobsTable = {
  find: query<[string], BlobRow>(`SELECT ${BLOB} FROM attachment_blobs WHERE blob_id = ?`).get,
  /** complete blobs of the same bytes in a space, oldest first */
  byDedupeKey: query<[string, Uint8Array], BlobRow>(`SELECT ${BLOB} FROM attachment_blobs WHERE space_id = ? AND dedupe_key = ? AND complete = 1 ORDER BY created_at`).all,
  /** a blob whose chunks are about to be written: incomplete (and under no dedupe key: the bytes are not all hashed yet) until `complete` */
  begin: query<[string, string, Uint8Array, number, number]>("INSERT INTO attachment_blobs (blob_id, space_id, dedupe_key, header, chunk_size, created_at) VALUES (?, ?, X'', ?, ?, ?)").run,
  /** marks a blob whole (its last chunk written); false when it is gone (swept as abandoned meanwhile) */
  complete: (db: Db, blobId: string, dedupeKey: Uint8Array, chunks: number, size: number): boolean =>
    completeBlob.run(db, dedupeKey, chunks, size, blobId).changes === 1,
  putChunk: query<[string, number, Uint8Array]>('INSERT INTO attachment_chunks (blob_id, seq, ct) VALUES (?, ?, ?)').run,
  chunk: query<[string, number], { ct: Buffer }>('SELECT ct FROM attachment_chunks WHERE blob_id = ? AND seq = ?').get,
  chunkCount: scalar<[string]>('SELECT COUNT(*) FROM attachment_chunks WHERE blob_id = ?').get,
  /** drops a blob and its chunks (an add that failed, or a dedupe hit that made the new copy redundant) */
  drop: (db: Db, blobId: string): void => { deleteChunks.run(db, blobId); deleteBlob.run(db, blobId); },
  /**
   * blobs a crashed or failed add left incomplete before `before`: their key was never stored, so
   * their chunks open for nobody. A blob an attachment row names is one still arriving from a
   * peer, never abandoned.
   */
  abandoned: query<[number], { blob_id: string }>('SELECT b.blob_id FROM attachment_blobs b WHERE b.complete = 0 AND b.created_at < ? AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.blob_id = b.blob_id)').all,
  /** a blob a peer holds and this device will fetch: its header and size as the memory's files document gives them */
  expect: query<[string, string, Uint8Array, number, number, number, number]>("INSERT OR IGNORE INTO attachment_blobs (blob_id, space_id, dedupe_key, header, chunk_size, chunks, size, created_at) VALUES (?, ?, X'', ?, ?, ?, ?, ?)").run,
  /** attachments of these spaces whose bytes are not all here yet, oldest first (what a sync session fetches) */
  missing: (db: Db, spaces: string[], limit: number): AttachmentRow[] => spaces.length
    ? dynamic<AttachmentRow>(db, `SELECT a.${ATT.split(', ').join(', a.')} FROM attachments a LEFT JOIN attachment_blobs b ON b.blob_id = a.blob_id WHERE a.space_id IN (${placeholders(spaces.length)}) AND (b.blob_id IS NULL OR b.complete = 0) ORDER BY a.created_at LIMIT ${Math.max(1, Math.floor(limit))}`).all(...spaces)
    : [],
  /** drops the chunks of a blob still arriving (a transfer whose peer sent a forged chunk starts again from the first) */
  dropChunks: query<[string]>('DELETE FROM attachment_chunks WHERE blob_id = ?').run,
  /** drops the chunks of a blob from `seq` on (what did not authenticate when a transfer resumed, and all after it) */
  dropChunksFrom: query<[string, number]>('DELETE FROM attachment_chunks WHERE blob_id = ? AND seq >= ?').run,
  /** every chunk row and blob row (tests and the disk figure) */
  totals: query<[], { blobs: number; chunks: number }>('SELECT (SELECT COUNT(*) FROM attachment_blobs) AS blobs, (SELECT COUNT(*) FROM attachment_chunks) AS chunks').get,
};

const completeBlob = query<[Uint8Array, number, number, string]>('UPDATE attachment_blobs SET dedupe_key = ?, chunks = ?, size = ?, complete = 1 WHERE blob_id = ? AND complete = 0');
