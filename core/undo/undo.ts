import type { Band, PendingAction } from '../../contracts/types';
import type { Ctx } from '../app/context';
import { emit } from '../events/envelope';
import { bandObligations, capsOf, forbidden, undoObligation } from '../policy/engine';
import { ApiError, notFound } from '../shared/errors';
import { iso } from '../shared/time';
import { ulid } from '../shared/ulid';
import { undoWindowSeconds } from '../settings/settings';
import { roleOf } from '../spaces/spaces';
import { sql } from '../store/statements';

export type ActionKind = PendingAction['kind'];

interface Row {
  action_id: string; kind: ActionKind; space_id: string; memory_id: string | null; actor: string; args: string;
  created_at: number; commit_at: number; status: PendingAction['status']; finished_at: number | null;
}
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
  sql(ctx.db, 'INSERT INTO pending_actions (action_id, kind, space_id, memory_id, actor, args, created_at, commit_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, a.kind, a.space_id, a.memory_id, a.actor, JSON.stringify(args), now, now + windowS * 1000, 'pending');
  emit(ctx, {
    topic: 'UNDO_WINDOW_OPENED', payload: { action_id: id, kind: a.kind, memory_id: a.memory_id, commit_at: iso(now + windowS * 1000) },
    actor: { member_id: a.actor, caps: capsOf(roleOf(ctx, a.space_id, a.actor)) }, space_id: a.space_id, band: a.band,
    obligations: [...new Set([undoObligation(windowS), ...bandObligations(a.band, windowS)])], audit: true,
  });
  return getAction(ctx, id);
}

export function getAction(ctx: Ctx, id: string): PendingAction {
  const r = sql(ctx.db, 'SELECT * FROM pending_actions WHERE action_id = ?').get(id) as Row | undefined;
  if (!r) throw notFound('pending action', id);
  return toAction(ctx, r);
}

/** Actions the actor staged, or that sit in spaces they guard. */
export function listActions(ctx: Ctx, actor: string, includeDone = false): PendingAction[] {
  const rows = sql(ctx.db, `SELECT p.* FROM pending_actions p WHERE ${includeDone ? '1 = 1' : "p.status = 'pending'"}
      AND (p.actor = ? OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = p.space_id AND m.member_id = ? AND m.role = 'guardian'))
      ORDER BY p.commit_at`).all(actor, actor) as Row[];
  return rows.map((r) => toAction(ctx, r));
}

export function undoAction(ctx: Ctx, actor: string, id: string): PendingAction {
  const a = getAction(ctx, id);
  if (a.actor !== actor && roleOf(ctx, a.space_id, actor) !== 'guardian') throw forbidden('NOT_OWNER', 'only who staged it or a guardian of the space can undo it');
  ctx.uow.run(() => {
    const res = sql(ctx.db, "UPDATE pending_actions SET status = 'undone', finished_at = ? WHERE action_id = ? AND status = 'pending'").run(ctx.clock.now(), id);
    if (res.changes !== 1) throw new ApiError('CONFLICT', `the action is already ${getAction(ctx, id).status}`, { action_id: id });
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
  const due = sql(ctx.db, "SELECT * FROM pending_actions WHERE status = 'pending' AND commit_at <= ? ORDER BY commit_at").all(ctx.clock.now()) as Row[];
  let n = 0;
  for (const r of due) {
    const args = JSON.parse(r.args) as Args;
    const exec = executors.get(r.kind);
    const payloadBase = { action_id: r.action_id, kind: r.kind };
    const evActor = { member_id: r.actor, caps: capsOf(roleOf(ctx, r.space_id, r.actor)) };
    try {
      ctx.uow.run(() => {
        const claimed = sql(ctx.db, "UPDATE pending_actions SET status = 'committed', finished_at = ? WHERE action_id = ? AND status = 'pending'").run(ctx.clock.now(), r.action_id);
        if (claimed.changes !== 1) return;
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
        const res = sql(ctx.db, "UPDATE pending_actions SET status = 'failed', finished_at = ? WHERE action_id = ? AND status = 'pending'").run(ctx.clock.now(), r.action_id);
        if (res.changes === 1) emit(ctx, { topic: 'ACTION_COMMITTED', payload: { ...payloadBase, outcome: 'failed', reason: reason.slice(0, 200) }, actor: evActor, space_id: r.space_id, band: args.band ?? 'GREEN', audit: true });
      });
    }
  }
  return n;
}
