import type { Decision, PendingAction } from '../../contracts/types';
import { spaceKindOf } from '../shared/space-id';
import type { Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, enforce, type PolicyInput } from '../policy/authorize';
import { ApiError, invalid } from '../shared/errors';
import { spaceRow } from '../spaces/spaces';
import { stageAction } from '../undo/undo';
import { createInput, dekFor, eventActor, loadRecord, policyInput, writeNewMemory } from './memories';
import { openContentOrFail, type MemoryRecord } from './read-model';
import { article } from '../shared/text';
import { copyFiles } from '../attachments/copy-files';

const targetInput = (ctx: Ctx, actor: string, rec: MemoryRecord, target: string): PolicyInput => createInput(ctx, actor, target, rec.band);

/** The actor must be allowed to write this band into the target space. */
function targetDecision(ctx: Ctx, actor: string, rec: MemoryRecord, target: string): Decision {
  return enforce(authorize(targetInput(ctx, actor, rec, target)));
}

/**
 * Copies a memory into another space (a new memory, new DEK, the target's epoch key), inside the
 * current unit of work, with its files. The copy records where it came from (copied_from, in its
 * sealed metadata).
 */
export function copyInto(ctx: Ctx, actor: string, rec: MemoryRecord, target: string): string {
  const decision = targetDecision(ctx, actor, rec, target);
  const dek = dekFor(ctx, rec, actor);
  const content = openContentOrFail(ctx, rec, dek);
  const { rec: copy } = writeNewMemory(ctx, actor, {
    space_id: target, type: rec.type, band: rec.band, title: content.title, body: content.body, tags: content.tags,
    people: content.people, places: content.places, ...(content.occurred_at ? { occurred_at: content.occurred_at } : {}),
    ...(rec.expires_at ? { expires_at: new Date(rec.expires_at).toISOString() } : {}),
  }, decision, { memory_id: rec.memory_id, space_id: rec.space_id, copied_at: ctx.clock.now() });
  // its files go with it, re-encrypted into the target space
  copyFiles(ctx, actor, rec, dek, copy, dekFor(ctx, copy, actor));
  emit(ctx, {
    topic: 'MEMORY_PROJECTED', payload: { memory_id: rec.memory_id, target_space_id: target, new_memory_id: copy.memory_id },
    actor: eventActor(ctx, actor, rec.space_id), space_id: rec.space_id, band: rec.band, obligations: decision.obligations, audit: rec.band !== 'GREEN',
  });
  return copy.memory_id;
}

export function shareMemory(ctx: Ctx, actor: string, memoryId: string, targetSpace: string, consent: boolean, dryRun = false):
  { status: 'shared' | 'staged' | 'preview'; pending: PendingAction | null; memory_id: string | null; decision: Decision } {
  const rec = loadRecord(ctx, memoryId);
  if (targetSpace === rec.space_id) throw invalid('the target space is the memory\'s own space', { field: 'target_space_id' });
  spaceRow(ctx, targetSpace);
  // the kinds as the ids name them: a row stored from a peer's space document before that was checked may say another
  const from = spaceKindOf(rec.space_id);
  const to = spaceKindOf(targetSpace);
  const decision = authorize(policyInput(ctx, actor, rec, 'memory.share', { share: { from, to, consent } }));
  if (rec.deleted_at && decision.effect !== 'DENY') throw new ApiError('CONFLICT', 'the memory is in the trash', { id: memoryId });
  if (dryRun) {
    // both decisions, as one: may it leave its space, and may the actor write it there
    const target = authorize(targetInput(ctx, actor, rec, targetSpace));
    const denied = decision.effect === 'DENY' || target.effect === 'DENY';
    const reasons = denied ? [...(decision.effect === 'DENY' ? decision.reasons : []), ...(target.effect === 'DENY' ? target.reasons : [])] : decision.reasons;
    return { status: 'preview', pending: null, memory_id: null, decision: { ...decision, effect: denied ? 'DENY' : decision.effect, reasons } };
  }
  enforce(decision);
  targetDecision(ctx, actor, rec, targetSpace);
  if (rec.band === 'GREEN') {
    const id = ctx.uow.run(() => copyInto(ctx, actor, rec, targetSpace));
    return { status: 'shared', pending: null, memory_id: id, decision };
  }
  const pending = ctx.uow.run(() => stageAction(ctx, {
    kind: 'share', actor, space_id: rec.space_id, memory_id: memoryId, band: rec.band,
    args: { target_space_id: targetSpace, consent }, summary: `Share ${article(rec.band)} ${rec.type} memory into ${targetSpace}`,
  }));
  return { status: 'staged', pending, memory_id: null, decision };
}
