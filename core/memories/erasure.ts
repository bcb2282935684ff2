import type { Band } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, capsOf, enforce } from '../policy/authorize';
import { policyDocument } from '../policy/policy-document';
import { ApiError } from '../shared/errors';
import { unindexMemory } from '../search/indexer';
import { roleOf } from '../spaces/spaces';
import { appendSigned, purgeDocEntries } from '../store/sync-log';
import { memoriesTable } from '../store/tables/memories';
import { tombstonesTable } from '../store/tables/tombstones';
import { attachmentsTable } from '../store/tables/attachments';
import { checkpointTruncate } from '../store/database';
import { filesDocId, metaDocId } from './memory-doc';
import { heldMetaOf } from './materialise';
import { dropRecord, findRecord } from './read-model';

/** The signed document of a space's erasures, one entry per erased memory. */
export const TOMBSTONE_DOC = 'tombstones';
export const TOMBSTONE_KEY_ID = 'tombstone:v1';

export const isTombstoned = (ctx: Ctx, space: string, memoryId: string): boolean => !!tombstonesTable.has(ctx.db, space, memoryId);

/**
 * The erasure decision for a member (a local actor, or the member whose device sent a
 * tombstone). The author is read from the read model, else from the memory's metadata in the
 * log: a RED memory not sealed to this device has no row here, yet its author may erase it
 * (without that, their tombstone was refused here and every later entry of theirs waited on it).
 */
export function eraseDecision(ctx: Ctx, space: string, memoryId: string, member: string, reauth = false, band?: Band) {
  const author = memoriesTable.author(ctx.db, memoryId) ?? heldMetaOf(ctx, space, memoryId).meta?.author;
  return authorize({
    action: 'memory.erase', actor: { member_id: member, role: roleOf(ctx, space, member) }, device_id: keys(ctx).deviceId, band, reauth,
    memory: author ? { author, recipients: [], origin_device: '' } : undefined, undoWindowSeconds: policyDocument().undo_window_default_seconds,
  });
}

/** A tombstone a peer sent: its author's member may erase it (no re-authentication travels with it). */
export const mayErase = (ctx: Ctx, space: string, memoryId: string, member: string): boolean => eraseDecision(ctx, space, memoryId, member, true).effect !== 'DENY';

/**
 * What TOMBSTONE_PROPAGATE does on every device (inside a unit of work): drop the DEK, purge
 * the ciphertext of both documents (headers stay: seq stays gap-free), drop the memory's files,
 * the read model and the index entry, and remember the tombstone so late-arriving entries are purged on arrival.
 */
export function applyTombstone(ctx: Ctx, space: string, memoryId: string, actor: string): void {
  tombstonesTable.add(ctx.db, space, memoryId, ctx.clock.now());
  const docIds = [memoryId, metaDocId(memoryId), filesDocId(memoryId)];
  purgeDocEntries(ctx, space, docIds);
  // its files: every attachment row, and every chunk no other memory's file shares
  attachmentsTable.eraseOfMemory(ctx.db, memoryId);
  dropRecord(ctx, memoryId);
  const k = keys(ctx);
  const dek = k.deks.get(memoryId);
  if (dek) { dek.fill(0); k.deks.delete(memoryId); }
  unindexMemory(ctx, memoryId);
  // once committed, nothing of it may linger in the WAL either
  ctx.uow.onCommit(() => { checkpointTruncate(ctx.db); });
  emit(ctx, { topic: 'TOMBSTONE_PROPAGATE', payload: { memory_id: memoryId, doc_ids: docIds }, actor: { member_id: actor, caps: capsOf(roleOf(ctx, space, actor)) }, space_id: space, audit: true });
}

/** An entry of an erased memory that arrives after its tombstone: its ciphertext is purged on arrival. */
export const purgeErased = (ctx: Ctx, space: string, memoryId: string): void => { purgeDocEntries(ctx, space, [memoryId, metaDocId(memoryId), filesDocId(memoryId)]); };

/**
 * The origin of an erasure, decided already (inside the caller's unit of work): a signed
 * tombstone entry every device of the space receives, applied here too.
 */
export function tombstoneMemory(ctx: Ctx, actor: string, space: string, memoryId: string): void {
  appendSigned(ctx, space, TOMBSTONE_DOC, TOMBSTONE_KEY_ID, Buffer.from(JSON.stringify({ memory_id: memoryId }), 'utf8'));
  applyTombstone(ctx, space, memoryId, actor);
}

/** Erases one memory that left this device everywhere (privacy.erase decides and batches; tests call it directly). */
export function eraseMemory(ctx: Ctx, actor: string, memoryId: string): { memory_id: string; space_id: string } {
  const rec = findRecord(ctx, memoryId);
  if (!rec) throw new ApiError('NOT_FOUND', 'memory not found', { id: memoryId });
  if (rec.band === 'BLACK') throw new ApiError('CONFLICT', 'a BLACK memory never left this device: shred it instead');
  enforce(eraseDecision(ctx, rec.space_id, memoryId, actor, true));
  ctx.uow.run(() => tombstoneMemory(ctx, actor, rec.space_id, memoryId));
  return { memory_id: memoryId, space_id: rec.space_id };
}
