import * as Y from 'yjs';
import type { Ctx } from '../context/ctx';
import { change, deviceClientId, newDoc } from '../crdt/doc-update';
import { keys } from '../context/ctx';
import { logFor } from '../memories/memories';
import { dekKeyId } from '../memories/memory-keys';
import { filesDocId } from '../memories/memory-doc';
import type { MemoryRecord } from '../memories/read-model';
import { appendUpdate, decryptEntry, docEntries, type LogName } from '../store/sync-log';
import type { AttachmentMeta } from './sealed-meta';

/**
 * What every device of a space learns of one attachment: its row's facts, the blob's id and
 * secretstream header (so the chunks a peer sends verify against them), and the blob's key —
 * all inside the memory's `.files` document, a Yjs map encrypted under the memory's own key like
 * its content. So the band's rules hold for files as they hold for text: a RED memory's files
 * open only where its key is sealed, a BLACK memory's document stays in the device-only log.
 * The chunks themselves travel apart (core/sync/file-transfer.ts), fetched by who can open them.
 */
export interface SyncedAttachment extends AttachmentMeta {
  attachment_id: string; blob_id: string; created_at: number;
  /** the blob's secretstream header (base64), its chunk count and chunk size */
  header: string; chunks: number; chunk_size: number;
}

const MAP = 'files';

/** The document as this device holds it (entries it cannot open are skipped: they are not its to read). */
export function openFilesDoc(ctx: Ctx, log: LogName, space: string, memoryId: string, dek: Uint8Array): Y.Doc {
  const doc = newDoc(deviceClientId(keys(ctx).deviceId));
  for (const e of docEntries(ctx, log, space, filesDocId(memoryId))) {
    const plain = decryptEntry(e, dek);
    if (plain) Y.applyUpdate(doc, plain);
  }
  return doc;
}

export function readFiles(doc: Y.Doc): Map<string, SyncedAttachment> {
  const out = new Map<string, SyncedAttachment>();
  doc.getMap<string>(MAP).forEach((v, k) => {
    try { out.set(k, JSON.parse(v) as SyncedAttachment); } catch { /* a value this version does not read */ }
  });
  return out;
}

/** Records an added or removed file in the memory's document, inside the caller's unit of work. */
export function recordFileChange(ctx: Ctx, rec: Pick<MemoryRecord, 'memory_id' | 'space_id' | 'band'>, dek: Uint8Array, set: SyncedAttachment | null, removeId?: string): void {
  const log = logFor(rec.band);
  const doc = openFilesDoc(ctx, log, rec.space_id, rec.memory_id, dek);
  const u = change(doc, () => {
    const m = doc.getMap<string>(MAP);
    if (set) m.set(set.attachment_id, JSON.stringify(set));
    if (removeId) m.delete(removeId);
  });
  if (u) appendUpdate(ctx, log, rec.space_id, filesDocId(rec.memory_id), dekKeyId(rec.memory_id), dek, u);
}

/** The whole document as one update (a BLACK memory lowered: its files enter the sync log with it). */
export function filesSnapshot(ctx: Ctx, space: string, memoryId: string, dek: Uint8Array): Uint8Array | null {
  const doc = openFilesDoc(ctx, 'local_log', space, memoryId, dek);
  return doc.getMap(MAP).size ? Y.encodeStateAsUpdate(doc) : null;
}
