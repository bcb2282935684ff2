import type { PendingAction } from '../../../contracts/types';
import type { Db } from '../database';
import { dynamic, placeholders, query } from '../query';

export type ActionKind = PendingAction['kind'];
export type ActionStatus = PendingAction['status'];

/** A staged action: durable, committed by the scheduler when its undo window ends. */
export interface PendingActionRow {
  action_id: string; kind: ActionKind; space_id: string; memory_id: string | null; actor: string; args: string;
  created_at: number; commit_at: number; status: ActionStatus; finished_at: number | null;
}

/** pending → committed | undone | failed, exactly once: `changes` is 1 only for the call that moved it */
const finish = query<[ActionStatus, number, string]>("UPDATE pending_actions SET status = ?, finished_at = ? WHERE action_id = ? AND status = 'pending'");

export const pendingActionsTable = {
  insert: query<[string, ActionKind, string, string | null, string, string, number, number]>(
    "INSERT INTO pending_actions (action_id, kind, space_id, memory_id, actor, args, created_at, commit_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')").run,
  find: query<[string], PendingActionRow>('SELECT * FROM pending_actions WHERE action_id = ?').get,
  due: query<[number], PendingActionRow>("SELECT * FROM pending_actions WHERE status = 'pending' AND commit_at <= ? ORDER BY commit_at").all,
  finish: (db: Db, id: string, status: Exclude<ActionStatus, 'pending'>, at: number): boolean => finish.run(db, status, at, id).changes === 1,
  /** what an actor staged, or what sits in the given spaces (those they guard), soonest first */
  visibleTo: (db: Db, actor: string, guardedSpaces: string[], includeDone: boolean): PendingActionRow[] =>
    dynamic<PendingActionRow>(db, `SELECT * FROM pending_actions WHERE ${includeDone ? '1 = 1' : "status = 'pending'"}
      AND (actor = ?${guardedSpaces.length ? ` OR space_id IN (${placeholders(guardedSpaces.length)})` : ''}) ORDER BY commit_at`).all(actor, ...guardedSpaces),
};
