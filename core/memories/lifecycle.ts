import type { Decision, PendingAction } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, bandObligations, enforce } from '../policy/authorize';
import { ApiError } from '../shared/errors';
import { undoWindowSeconds } from '../settings/settings';
import { stageAction } from '../undo/undo';
import { eventActor, loadRecord, policyInput, rewriteMeta, toViewFull } from './memories';
import { filesDocId, metaDocId } from './memory-doc';
import { unindexMemory } from '../search/indexer';
import { dropRecord, type MemoryRecord } from './read-model';
import { article } from '../shared/text';
import { dropLocalDocs } from '../store/sync-log';
import { memoriesTable } from '../store/tables/memories';
import { attachmentsTable } from '../store/tables/attachments';
import { checkpointTruncate } from '../store/database';

/** Moves a memory to the trash (restorable) inside the current unit of work. */
export function trash(ctx: Ctx, actor: string, rec: MemoryRecord, mode: 'trash' | 'expire' = 'trash'): void {
  rewriteMeta(ctx, rec, { deleted_at: ctx.clock.now() });
  emit(ctx, {
    topic: 'TOMBSTONE_APPLIED', payload: { memory_id: rec.memory_id, mode }, actor: eventActor(ctx, actor, rec.space_id),
    space_id: rec.space_id, band: rec.band, obligations: bandObligations(rec.band, undoWindowSeconds(ctx)),
  });
}

/** Crypto-shred: the DEK, the read model, every log entry and every file of a BLACK memory are gone for good. */
export function shred(ctx: Ctx, actor: string, rec: MemoryRecord): void {
  dropLocalDocs(ctx, rec.space_id, [rec.memory_id, metaDocId(rec.memory_id), filesDocId(rec.memory_id)]);
  attachmentsTable.eraseOfMemory(ctx.db, rec.memory_id);
  dropRecord(ctx, rec.memory_id);
  const dek = keys(ctx).deks.get(rec.memory_id);
  if (dek) { dek.fill(0); keys(ctx).deks.delete(rec.memory_id); }
  unindexMemory(ctx, rec.memory_id);
  emit(ctx, {
    topic: 'TOMBSTONE_APPLIED', payload: { memory_id: rec.memory_id, mode: 'shred' }, actor: eventActor(ctx, actor, rec.space_id),
    space_id: rec.space_id, band: rec.band, obligations: bandObligations(rec.band, undoWindowSeconds(ctx)), audit: true,
  });
}

export function deleteMemory(ctx: Ctx, actor: string, memoryId: string, confirm: boolean): { status: 'trashed' | 'staged' | 'shredded'; pending: PendingAction | null; decision: Decision } {
  const rec = loadRecord(ctx, memoryId);
  // the decision comes first: what state a memory is in is not told to someone who may not delete it
  const decision = enforce(authorize(policyInput(ctx, actor, rec, 'memory.delete', { confirm })));
  if (rec.deleted_at) throw new ApiError('CONFLICT', 'the memory is already in the trash', { id: memoryId });
  if (rec.band === 'BLACK') {
    ctx.uow.run(() => shred(ctx, actor, rec));
    checkpointTruncate(ctx.db); // the shredded key and ciphertext must not linger in the WAL
    return { status: 'shredded', pending: null, decision };
  }
  if (rec.band === 'GREEN') {
    ctx.uow.run(() => trash(ctx, actor, rec));
    return { status: 'trashed', pending: null, decision };
  }
  const pending = ctx.uow.run(() => stageAction(ctx, { kind: 'delete', actor, space_id: rec.space_id, memory_id: memoryId, band: rec.band, args: {}, summary: `Delete ${article(rec.band)} ${rec.type} memory` }));
  return { status: 'staged', pending, decision };
}

export function restoreMemory(ctx: Ctx, actor: string, memoryId: string) {
  const rec = loadRecord(ctx, memoryId);
  enforce(authorize(policyInput(ctx, actor, rec, 'memory.update')));
  if (!rec.deleted_at) throw new ApiError('CONFLICT', 'the memory is not in the trash', { id: memoryId });
  const next = ctx.uow.run(() => {
    const n = rewriteMeta(ctx, rec, { deleted_at: null, expires_at: rec.expires_at && rec.expires_at <= ctx.clock.now() ? null : rec.expires_at });
    emit(ctx, {
      topic: 'TOMBSTONE_APPLIED', payload: { memory_id: memoryId, mode: 'restore' }, actor: eventActor(ctx, actor, rec.space_id),
      space_id: rec.space_id, band: rec.band, obligations: bandObligations(rec.band, undoWindowSeconds(ctx)),
    });
    return n;
  });
  return { memory: toViewFull(ctx, next, actor) };
}

/**
 * Retention: working memories past expires_at go to the trash. Emptying the trash for good is
 * erasure (crypto-shred + tombstone propagation), which belongs with privacy.erase.
 */
export function expireWorkingMemories(ctx: Ctx): number {
  const due = memoriesTable.expired(ctx.db, ctx.clock.now());
  for (const { memory_id } of due) {
    const rec = loadRecord(ctx, memory_id);
    ctx.uow.run(() => trash(ctx, rec.author, rec, 'expire'));
  }
  return due.length;
}
