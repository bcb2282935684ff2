import * as Y from 'yjs';
import type { Band, Decision, Memory, PendingAction } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, enforce } from '../policy/authorize';
import { bandRank } from '../policy/policy-document';
import { ApiError } from '../shared/errors';
import { spaceRow } from '../spaces/spaces';
import { stageAction } from '../undo/undo';
import { appendUpdate, dropLocalDocs } from '../store/sync-log';
import { checkPassphrase } from '../vault/vault';
import { dekFor, eventActor, loadRecord, policyInput, rewriteMeta, toViewFull, validateRecipients } from './memories';
import { filesDocId, metaDocId, readMeta, writeMeta } from './memory-doc';
import { filesSnapshot } from '../attachments/files-doc';
import { dekKeyId, wrapDek } from './memory-keys';
import { metaKeyFor, openContentDoc, openMetaDoc, saveRecord, type MemoryRecord } from './read-model';
import { indexMemory } from '../search/indexer';
import { article } from '../shared/text';

/** Re-wraps the DEK for the new band (inside the current unit of work) and records the change. */
export function applyBand(ctx: Ctx, actor: string, rec: MemoryRecord, to: Band, recipients?: string[]): MemoryRecord {
  const dek = dekFor(ctx, rec, actor);
  const readers = to === 'RED' ? validateRecipients(ctx, rec.space_id, 'RED', rec.author, recipients ?? rec.meta.recipients ?? []) : [];
  const dekWrap = wrapDek(ctx, dek, rec.space_id, rec.memory_id, to, spaceRow(ctx, rec.space_id).epoch, [rec.author, ...readers]);
  let next: MemoryRecord;
  if (rec.band === 'BLACK') {
    // leaving the device for the first time: both documents enter the sync log as full snapshots
    const metaDoc = openMetaDoc(ctx, rec);
    const contentDoc = openContentDoc(ctx, rec, dek);
    metaDoc.transact(() => writeMeta(metaDoc, { band: to, recipients: readers, dek: dekWrap }));
    const mk = metaKeyFor(ctx, rec.space_id, to);
    appendUpdate(ctx, 'sync_log', rec.space_id, metaDocId(rec.memory_id), mk.keyId, mk.key, Y.encodeStateAsUpdate(metaDoc));
    appendUpdate(ctx, 'sync_log', rec.space_id, rec.memory_id, dekKeyId(rec.memory_id), dek, Y.encodeStateAsUpdate(contentDoc));
    // its files too: their document enters the sync log, and peers fetch the chunks
    const files = filesSnapshot(ctx, rec.space_id, rec.memory_id, dek);
    if (files) appendUpdate(ctx, 'sync_log', rec.space_id, filesDocId(rec.memory_id), dekKeyId(rec.memory_id), dek, files);
    dropLocalDocs(ctx, rec.space_id, [rec.memory_id, metaDocId(rec.memory_id), filesDocId(rec.memory_id)]);
    const saved = saveRecord(ctx, rec.memory_id, rec.space_id, readMeta(metaDoc), metaDoc, contentDoc, dek, 1);
    next = saved.rec;
    indexMemory(ctx, next, saved.content);
  } else {
    next = rewriteMeta(ctx, rec, { band: to, recipients: readers, dek: dekWrap }, { dek });
  }
  emit(ctx, {
    topic: 'SAFETY_BAND_CHANGED', payload: { memory_id: rec.memory_id, from: rec.band, to }, actor: eventActor(ctx, actor, rec.space_id),
    space_id: rec.space_id, band: to, audit: true,
  });
  return next;
}

export function setBand(ctx: Ctx, actor: string, memoryId: string, to: Band, recipients: string[] | undefined, reauth?: { passphrase: string }):
  { status: 'changed' | 'staged' | 'unchanged'; pending: PendingAction | null; memory: Memory; decision: Decision } {
  const rec = loadRecord(ctx, memoryId);
  let reauthed = false;
  if (reauth) {
    if (!checkPassphrase(ctx, reauth.passphrase)) throw new ApiError('BAD_CREDENTIALS', 'wrong passphrase');
    reauthed = true;
  }
  const decision = enforce(authorize(policyInput(ctx, actor, rec, 'memory.setBand', { newBand: to, reauth: reauthed })));
  if (to === rec.band && recipients === undefined) return { status: 'unchanged', pending: null, memory: toViewFull(ctx, rec, actor), decision };
  const lowering = bandRank(to) < bandRank(rec.band);
  if (lowering) {
    const pending = ctx.uow.run(() => stageAction(ctx, {
      kind: 'set_band', actor, space_id: rec.space_id, memory_id: memoryId, band: rec.band, args: { to },
      summary: `Lower ${article(rec.band)} ${rec.type} memory to ${to}`,
    }));
    return { status: 'staged', pending, memory: toViewFull(ctx, rec, actor), decision };
  }
  const next = ctx.uow.run(() => applyBand(ctx, actor, rec, to, recipients));
  return { status: 'changed', pending: null, memory: toViewFull(ctx, next, actor), decision };
}
