import * as Y from 'yjs';
import { keys, type Ctx } from '../app/context';
import { newDoc } from '../crdt/doc-update';
import { emit } from '../events/envelope';
import { capsOf } from '../policy/engine';
import { ApiError } from '../shared/errors';
import { metaDocId } from '../memories/memory-doc';
import { findRecord } from '../memories/read-model';
import { unindexMemory } from '../search/indexer';
import { epochKey, epochKeyId } from '../spaces/epoch-keys';
import { roleOf, spaceRow } from '../spaces/spaces';
import { appendSigned, appendUpdate, decryptEntry, docEntries, purgeDocEntries, type LogEntry } from '../store/sync-log';
import { sql } from '../store/statements';
import { dekKeyId } from '../memories/memory-keys';
import { materialiseMemory } from './materialise';

export const TOMBSTONE_DOC = 'tombstones';
export const TOMBSTONE_KEY_ID = 'tombstone:v1';

export const isTombstoned = (ctx: Ctx, space: string, memoryId: string): boolean =>
  !!sql(ctx.db, 'SELECT 1 FROM tombstones WHERE space_id = ? AND memory_id = ?').get(space, memoryId);

/** May this member erase that memory everywhere? Its author, or a guardian of the space. */
export function mayErase(ctx: Ctx, space: string, memoryId: string, member: string): boolean {
  if (roleOf(ctx, space, member) === 'guardian') return true;
  const rec = sql(ctx.db, 'SELECT author FROM memories WHERE memory_id = ?').get(memoryId) as { author: string } | undefined;
  return rec?.author === member;
}

/**
 * What TOMBSTONE_PROPAGATE does on every device (inside a unit of work): drop the DEK, purge
 * the ciphertext of both documents (headers stay: seq stays gap-free), drop the read model and
 * the index entry, and remember the tombstone so late-arriving entries are purged on arrival.
 */
export function applyTombstone(ctx: Ctx, space: string, memoryId: string, actor: string): void {
  sql(ctx.db, 'INSERT OR IGNORE INTO tombstones (space_id, memory_id, erased_at) VALUES (?, ?, ?)').run(space, memoryId, ctx.clock.now());
  const docIds = [memoryId, metaDocId(memoryId)];
  purgeDocEntries(ctx, space, docIds);
  sql(ctx.db, 'DELETE FROM memories WHERE memory_id = ?').run(memoryId);
  const k = keys(ctx);
  const dek = k.deks.get(memoryId);
  if (dek) { dek.fill(0); k.deks.delete(memoryId); }
  unindexMemory(ctx, memoryId);
  emit(ctx, { topic: 'TOMBSTONE_PROPAGATE', payload: { memory_id: memoryId, doc_ids: docIds }, actor: { member_id: actor, caps: capsOf(roleOf(ctx, space, actor)) }, space_id: space, audit: true });
}

/** The origin of an erasure (privacy.erase builds on it): a signed tombstone entry, applied here too. */
export function eraseMemory(ctx: Ctx, actor: string, memoryId: string): { memory_id: string; space_id: string } {
  const rec = findRecord(ctx, memoryId);
  if (!rec) throw new ApiError('NOT_FOUND', 'memory not found', { id: memoryId });
  if (rec.band === 'BLACK') throw new ApiError('CONFLICT', 'a BLACK memory never left this device: shred it instead');
  if (!mayErase(ctx, rec.space_id, memoryId, actor)) throw new ApiError('FORBIDDEN', 'only the author or a guardian erases a memory', { reasons: [{ code: 'NOT_OWNER', message: 'not the author' }] });
  ctx.uow.run(() => {
    appendSigned(ctx, rec.space_id, TOMBSTONE_DOC, TOMBSTONE_KEY_ID, Buffer.from(JSON.stringify({ memory_id: memoryId }), 'utf8'));
    applyTombstone(ctx, rec.space_id, memoryId, actor);
  });
  return { memory_id: memoryId, space_id: rec.space_id };
}

/**
 * Compaction: one snapshot entry (this device's next seq) holding the whole merged document,
 * then the older entries' ciphertext is purged. A peer still holding the older entries applies
 * the snapshot as one more Yjs update (idempotent); a peer that lacks them receives their
 * headers and the snapshot. Either way the state and the vectors converge.
 */
export function compactDoc(ctx: Ctx, space: string, docId: string): { purged: number; snapshot_seq: number } {
  const isMeta = docId.endsWith('.meta');
  const memoryId = isMeta ? docId.slice(0, -5) : docId;
  if (isTombstoned(ctx, space, memoryId)) throw new ApiError('CONFLICT', 'that memory was erased');
  const entries = docEntries(ctx, 'sync_log', space, docId).filter((e) => !e.purged_sha256);
  if (entries.length < 2) return { purged: 0, snapshot_seq: 0 };
  const epoch = spaceRow(ctx, space).epoch;
  const dek = isMeta ? null : keys(ctx).deks.get(memoryId) ?? null;
  const keyFor = (e: LogEntry): Uint8Array | null => {
    if (!isMeta) return dek;
    try { return epochKey(ctx, space, Number(e.key_id.split(':').pop())); } catch { return null; }
  };
  if (!isMeta && !dek) throw new ApiError('FORBIDDEN', 'this device holds no key for that document');
  const doc = newDoc();
  for (const e of entries) {
    const k = keyFor(e);
    const plain = k && decryptEntry(e, k);
    if (!plain) throw new ApiError('CONFLICT', 'an entry of that document cannot be opened here: not compacted', { seq: e.seq });
    Y.applyUpdate(doc, plain);
  }
  const lastId = (sql(ctx.db, 'SELECT MAX(id) AS m FROM sync_log WHERE space_id = ? AND doc_id = ?').get(space, docId) as { m: number }).m;
  return ctx.uow.run(() => {
    const snap = isMeta
      ? appendUpdate(ctx, 'sync_log', space, docId, epochKeyId(space, epoch), epochKey(ctx, space, epoch), Y.encodeStateAsUpdate(doc))
      : appendUpdate(ctx, 'sync_log', space, docId, dekKeyId(memoryId), dek!, Y.encodeStateAsUpdate(doc));
    const purged = purgeDocEntries(ctx, space, [docId], lastId);
    materialiseMemory(ctx, space, memoryId);
    return { purged, snapshot_seq: snap.seq };
  });
}
