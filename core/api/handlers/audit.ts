import { visibleAudit } from '../../audit/visible-log';
import { verifyAuditChain } from '../../events/audit-chain';
import type { HandlersOf } from '../handler';

export const auditHandlers: HandlersOf<'audit'> = {
  'audit.list': ({ ctx, actor }, p) => ({
    entries: visibleAudit(ctx, actor, p.after_seq ?? 0, p.limit ?? 1000).map(({ row: r, env }) => ({
      seq: r.seq, event_id: r.event_id, topic: String(env.topic ?? '?'), ts: String(env.ts ?? new Date(0).toISOString()),
      space_id: env.space_id ?? null, actor: String(env.actor?.member_id ?? '?'), envelope_sha256: r.envelope_sha256, prev_event_id: r.prev_event_id,
    })),
  }),
  // the whole chain: the owner's (audit.verify is an owner action)
  'audit.verify': ({ ctx }) => verifyAuditChain(ctx),
};
