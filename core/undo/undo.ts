import type { Band, PendingAction } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { authorize, bandObligations, capsOf, enforce, undoObligation } from '../policy/authorize';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { ulid } from '../shared/ulid';
import { undoWindowSeconds } from '../settings/settings';
import { membershipsOf, roleOf } from '../spaces/spaces';
import { pendingActionsTable, type ActionKind, type PendingActionRow as Row } from '../store/tables/pending-actions';

export type { ActionKind };
interface Args { band?: Band; target_space_id?: string; summary?: string; [k: string]: unknown }

/** What carries a staged action out when its window ends; registered at boot, one per kind. */
export type Executor = (ctx: Ctx, action: { action_id: string; space_id: string; memory_id: string | null; actor: string; args: Args }) => void;
const executors = new Map<ActionKind, Executor>();
export const registerExecutor = (kind: ActionKind, fn: Executor): void => { executors.set(kind, fn); };

const toAction = (ctx: Ctx, r: Row): PendingAction => {
  const args = JSON.parse(r.args) as Args;
  return {
    action_id: r.action_id, kind: r.kind, space_id: r.space_id, memory_id: r.memory_id, actor: r.actor,
    ...(args.target_space_id ? { target_space_id: args.target_space_id } : {}),
    ...(args.band ? { band: args.band } : {}),
    created_at: iso(r.created_at), commit_at: iso(r.commit_at),
    seconds_left: r.status === 'pending' ? Math.max(0, (r.commit_at - ctx.clock.now()) / 1000) : 0,
    status: r.status, summary: args.summary ?? r.kind,
  };
};

/**
 * Stages an action in the durable pending_actions table (inside the caller's unit of work).
 * Nothing of it reaches the sync log until it commits.
 */
export function stageAction(ctx: Ctx, a: { kind: ActionKind; actor: string; space_id: string; memory_id: string | null; band: Band; args: Args; summary: string }): PendingAction {
  const now = ctx.clock.now();
  const windowS = undoWindowSeconds(ctx);
  const id = ulid(now);
  const args = { ...a.args, band: a.args.band ?? a.band, summary: a.summary };
  pendingActionsTable.insert(ctx.db, id, a.kind, a.space_id, a.memory_id, a.actor, JSON.stringify(args), now, now + windowS * 1000);
  emit(ctx, {
    topic: 'UNDO_WINDOW_OPENED', payload: { action_id: id, kind: a.kind, memory_id: a.memory_id, commit_at: iso(now + windowS * 1000) },
    actor: { member_id: a.actor, caps: capsOf(roleOf(ctx, a.space_id, a.actor)) }, space_id: a.space_id, band: a.band,
    obligations: [...new Set([undoObligation(windowS), ...bandObligations(a.band, windowS)])], audit: true,
  });
  return getAction(ctx, id);
}

export function getAction(ctx: Ctx, id: string): PendingAction {
  const r = pendingActionsTable.find(ctx.db, id);
  if (!r) throw notFound('pending action', id);
  return toAction(ctx, r);
}

/** Actions the actor staged, or that sit in spaces they guard. */
export function listActions(ctx: Ctx, actor: string, includeDone = false): PendingAction[] {
  const guarded = membershipsOf(ctx, actor).filter((m) => m.role === 'guardian').map((m) => m.space_id);
  return pendingActionsTable.visibleTo(ctx.db, actor, guarded, includeDone).map((r) => toAction(ctx, r));
}

export function undoAction(ctx: Ctx, actor: string, id: string): PendingAction {
  const a = getAction(ctx, id);
  enforce(authorize({ action: 'undo.apply', actor: { member_id: actor, role: roleOf(ctx, a.space_id, actor) }, staged_by: a.actor, device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx) }));
  ctx.uow.run(() => {
    if (!pendingActionsTable.finish(ctx.db, id, 'undone', ctx.clock.now())) throw new ApiError('CONFLICT', `the action is already ${getAction(ctx, id).status}`, { action_id: id });
    emit(ctx, {
      topic: 'UNDO_APPLIED', payload: { action_id: id, kind: a.kind }, actor: { member_id: actor, caps: capsOf(roleOf(ctx, a.space_id, actor)) },
      space_id: a.space_id, band: a.band ?? 'GREEN', audit: true,
    });
  });
  return getAction(ctx, id);
}

/**
 * Commits every pending action whose window has ended: the effect and the status change share
 * one transaction, so a crash commits an action exactly once (on the next run).
 */
export function commitDue(ctx: Ctx): number {
  const due = pendingActionsTable.due(ctx.db, ctx.clock.now());
  let n = 0;
  for (const r of due) {
    const args = JSON.parse(r.args) as Args;
    const exec = executors.get(r.kind);
    const payloadBase = { action_id: r.action_id, kind: r.kind };
    const evActor = { member_id: r.actor, caps: capsOf(roleOf(ctx, r.space_id, r.actor)) };
    try {
      ctx.uow.run(() => {
        if (!pendingActionsTable.finish(ctx.db, r.action_id, 'committed', ctx.clock.now())) return;
        if (!exec) throw new Error('no executor for ' + r.kind);
        exec(ctx, { action_id: r.action_id, space_id: r.space_id, memory_id: r.memory_id, actor: r.actor, args });
        emit(ctx, { topic: 'ACTION_COMMITTED', payload: { ...payloadBase, outcome: 'committed' }, actor: evActor, space_id: r.space_id, band: args.band ?? 'GREEN', audit: true });
        n++;
      });
    } catch (e) {
      // the effect could not be applied (the memory is gone, a member left): record it, once
      const reason = e instanceof ApiError ? `${e.code}: ${e.message}` : 'internal error';
      ctx.log.warn('staged action failed', { action_id: r.action_id, kind: r.kind, reason: reason.slice(0, 200) });
      ctx.uow.run(() => {
        if (pendingActionsTable.finish(ctx.db, r.action_id, 'failed', ctx.clock.now())) emit(ctx, { topic: 'ACTION_COMMITTED', payload: { ...payloadBase, outcome: 'failed', reason: reason.slice(0, 200) }, actor: evActor, space_id: r.space_id, band: args.band ?? 'GREEN', audit: true });
      });
    }
  }
  return n;
}
