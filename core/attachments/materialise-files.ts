import type { Ctx } from '../context/ctx';
import { SECRETSTREAM_HEADERBYTES } from '../crypto/secretstream';
import { fromB64 } from '../crypto/sodium';
import { unwrapDek, type DekWrap } from '../memories/memory-keys';
import { filesDocId } from '../memories/memory-doc';
import { isTimeMs } from '../memories/memory-shape';
import { findRecord } from '../memories/read-model';
import { docEntries } from '../store/sync-log';
import { checkpointTruncate } from '../store/database';
import { attachmentBlobsTable, attachmentsTable } from '../store/tables/attachments';
import { openFilesDoc, readFiles, type SyncedAttachment } from './files-doc';
import { checkMime, checkName } from './names';
import { sealMeta } from './sealed-meta';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A record whose shape this device can act on (it came from a peer: its author's device wrote it under the memory's key),
 * with a time a timestamp can show (memory-shape.ts): one past year 9999 made attachment.list break its contract.
 * A value that parses as null is no record either (reading its fields threw: the memory's files stopped materialising there).
 */
function plausible(id: string, f: SyncedAttachment): boolean {
  return ULID.test(id) && !!f && typeof f === 'object' && f.attachment_id === id && ULID.test(f.blob_id) && typeof f.header === 'string' && fromB64(f.header).length === SECRETSTREAM_HEADERBYTES
    && Number.isSafeInteger(f.chunks) && f.chunks >= 1 && Number.isSafeInteger(f.size) && f.size >= 0 && Number.isSafeInteger(f.chunk_size) && f.chunk_size >= 1 && f.chunk_size <= 4 * 1024 * 1024
    && isTimeMs(f.created_at) && typeof f.key === 'string' && fromB64(f.key).length === 32 && typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256);
}

/** The name and media type as a local add keeps them (names.ts), or null: a peer's file whose name or type a view cannot show is left out, alone. */
function factsOf(f: SyncedAttachment): { name: string; mime: string } | null {
  try { return { name: checkName(f.name), mime: checkMime(f.mime) }; } catch { return null; }
}

/**
 * Brings this device's attachment rows in line with a memory's files document as received from
 * peers (inside the receiving unit of work): a file added elsewhere gets its row (sealed again
 * under the memory's key, as a local add seals it) and an expected blob whose chunks a session
 * then fetches; a file removed elsewhere loses its row, and its chunks unless another file here
 * shares them. A memory whose key this device does not hold (RED for a non-recipient) gets no
 * rows at all: its files are not this device's to open, so their chunks are never fetched.
 */
export function materialiseFiles(ctx: Ctx, space: string, memoryId: string): number {
  const held = attachmentsTable.ofMemory(ctx.db, memoryId);
  // most memories have no files: two index lookups, not a record opened (an initial sync touches every memory)
  if (!held.length && !docEntries(ctx, 'sync_log', space, filesDocId(memoryId)).length) return 0;
  const rec = findRecord(ctx, memoryId);
  // a BLACK memory's rows are this device's own truth: nothing a peer sends speaks for them
  if (rec?.band === 'BLACK') return 0;
  const dek = rec ? unwrapDek(ctx, space, memoryId, rec.meta.dek as DekWrap) : null;
  let changed = 0;
  let dropped = false;
  if (!rec || !dek) {
    for (const r of held) { dropped = attachmentsTable.delete(ctx.db, r.attachment_id, r.blob_id) || dropped; changed++; }
  } else {
    const want = readFiles(openFilesDoc(ctx, 'sync_log', space, memoryId, dek));
    for (const r of held) if (!want.has(r.attachment_id)) { dropped = attachmentsTable.delete(ctx.db, r.attachment_id, r.blob_id) || dropped; changed++; }
    const have = new Set(held.map((r) => r.attachment_id));
    for (const [id, f] of want) {
      const facts = have.has(id) || !plausible(id, f) ? null : factsOf(f);
      if (!facts) continue;
      // a blob id this device holds for another space is not this one (ids are ULIDs: only a peer that lies makes them meet)
      const existing = attachmentBlobsTable.find(ctx.db, f.blob_id);
      if (existing && existing.space_id !== space) continue;
      attachmentBlobsTable.expect(ctx.db, f.blob_id, space, fromB64(f.header), f.chunk_size, f.chunks, f.size, ctx.clock.now());
      const row = { attachment_id: id, memory_id: memoryId, space_id: space, blob_id: f.blob_id, created_at: f.created_at };
      const sealed = sealMeta(row, { ...facts, size: f.size, sha256: f.sha256, key: f.key }, dek);
      attachmentsTable.put(ctx.db, { ...row, nonce: sealed.nonce, ct: sealed.ct });
      changed++;
    }
  }
  if (dropped) ctx.uow.onCommit(() => { checkpointTruncate(ctx.db); });
  return changed;
}
