import type { Ctx } from '../context/ctx';
import { emit } from '../events/emit';
import { ApiError } from '../shared/errors';

/** Whether an error is a refused record (CORRUPT or TAMPERED): it degrades that record only. */
export const isRecordProblem = (e: unknown): e is ApiError => e instanceof ApiError && (e.code === 'CORRUPT' || e.code === 'TAMPERED');

/**
 * Audits the record problems seen since the last call, once each (INTEGRITY_VIOLATION, ids and
 * column names only). Called by the router after every call: outside any statement iteration,
 * inside a unit of work of its own.
 */
export function reportProblems(ctx: Ctx): void {
  if (!ctx.keyring || !ctx.problems.size) return;
  const fresh = ctx.problems.takeUnreported();
  if (!fresh.length) return;
  ctx.uow.run(() => {
    for (const p of fresh) {
      ctx.log.warn('record refused', { record: p.record, id: p.id, kind: p.kind, fields: p.fields.join(',') });
      ctx.metrics.inc('memoryos_records_refused_total', { kind: p.kind });
      emit(ctx, {
        topic: 'INTEGRITY_VIOLATION', payload: { record: p.record, id: p.id, kind: p.kind, fields: p.fields },
        // the vault's own event (no space): its owner's to see, whatever the record's band was
        actor: { member_id: ctx.keyring!.memberId, caps: [] }, space_id: null, audit: true,
      });
    }
  });
}
