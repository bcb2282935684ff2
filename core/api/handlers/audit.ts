import type { Envelope } from '../../../contracts/types';
import { verifyAuditChain } from '../../events/audit-chain';
import { auditChainTable } from '../../store/tables/audit-chain';
import type { HandlersOf } from '../handler';

export const auditHandlers: HandlersOf<'audit'> = {
  'audit.list': ({ ctx }, p) => ({
    entries: auditChainTable.page(ctx.db, p.after_seq ?? 0, p.limit ?? 1000).map((r) => {
      let env: Partial<Envelope> = {};
      try { env = JSON.parse(r.envelope); } catch { /* a damaged row still lists; audit.verify names it */ }
      return {
        seq: r.seq, event_id: r.event_id, topic: String(env.topic ?? '?'), ts: String(env.ts ?? new Date(0).toISOString()),
        space_id: env.space_id ?? null, actor: String(env.actor?.member_id ?? '?'), envelope_sha256: r.envelope_sha256, prev_event_id: r.prev_event_id,
      };
    }),
  }),
  'audit.verify': ({ ctx }) => verifyAuditChain(ctx),
};
