import type { Ctx } from '../context/ctx';
import { isRecordProblem } from '../memories/integrity';
import { recordFromRow } from '../memories/read-model';
import { eraseDecision } from '../memories/erasure';
import { membershipsOf } from '../spaces/spaces';
import { getSettings } from '../settings/settings';
import { memoriesTable } from '../store/tables/memories';
import { eraseDecided, eraseMemories, type EraseResult } from './erase';

const DAY_MS = 24 * 3600 * 1000;

/** trash.empty: erases, for good, every trashed memory of the actor's spaces that the actor may erase. */
export function emptyTrash(ctx: Ctx, actor: string, reauth: { passphrase: string } | undefined): EraseResult & { kept: number } {
  const spaces = membershipsOf(ctx, actor).map((m) => m.space_id);
  const ids: string[] = [];
  let kept = 0;
  for (const row of memoriesTable.trashedIn(ctx.db, spaces)) {
    try {
      const rec = recordFromRow(ctx, row);
      if (eraseDecision(ctx, rec.space_id, rec.memory_id, actor, true, rec.band).effect === 'DENY') { kept++; continue; }
      ids.push(rec.memory_id);
    } catch (e) { if (!isRecordProblem(e)) throw e; kept++; }
  }
  return { ...eraseMemories(ctx, actor, ids, reauth), kept };
}

/**
 * Retention (the scheduler): trashed memories older than trash_retention_days are erased for
 * good — a standing decision of the vault owner, so no passphrase is asked again. Only what the
 * owner may erase here (their own, or in spaces they guard): the others' devices empty theirs.
 */
export function purgeExpiredTrash(ctx: Ctx, owner: string): number {
  const days = getSettings(ctx).trash_retention_days;
  if (!(days > 0)) return 0;
  const before = ctx.clock.now() - days * DAY_MS;
  const recs = [];
  for (const row of memoriesTable.trashedBefore(ctx.db, before)) {
    try {
      const rec = recordFromRow(ctx, row);
      if (eraseDecision(ctx, rec.space_id, rec.memory_id, owner, true, rec.band).effect !== 'DENY') recs.push(rec);
    } catch (e) { if (!isRecordProblem(e)) throw e; }
  }
  if (!recs.length) return 0;
  const r = eraseDecided(ctx, owner, recs);
  ctx.log.info('trash emptied by retention', { erased: r.erased.length + r.shredded.length, days });
  return r.erased.length + r.shredded.length;
}
