import type { Envelope } from '../../../contracts/types';
import type { Handlers } from '../handler';
import { listActions, undoAction } from '../../undo/undo';
import { getSettings, writeSettings } from '../../settings/settings';
import { verifyAuditChain } from '../../events/audit-chain';
import { emit } from '../../events/envelope';
import { capsOf, forbidden } from '../../policy/engine';
import { sql } from '../../store/statements';

export const governanceHandlers: Pick<Handlers, 'undo.list' | 'undo.apply' | 'settings.get' | 'settings.set' | 'events.list' | 'audit.list' | 'audit.verify'> = {
  'undo.list': ({ ctx, actor }, p) => ({ actions: listActions(ctx, actor, p.include_done === true) }),
  'undo.apply': ({ ctx, actor }, p) => ({ action: undoAction(ctx, actor, p.action_id) }),
  'settings.get': ({ ctx }) => ({ settings: getSettings(ctx) }),
  'settings.set': ({ ctx, actor }, p) => {
    if (ctx.keyring && actor !== ctx.keyring.memberId) {
      throw forbidden('NOT_OWNER', 'only the vault owner changes settings');
    }
    const before = getSettings(ctx);
    return ctx.uow.run(() => {
      const after = writeSettings(ctx, p.settings);
      // a changed undo window changes what "staged" means for everyone: audited
      const audited = after.undo_window_seconds !== before.undo_window_seconds;
      emit(ctx, { topic: 'SETTINGS_CHANGED', payload: { settings: p.settings }, actor: { member_id: actor, caps: capsOf('guardian') }, audit: audited });
      return { settings: after };
    });
  },
  'events.list': ({ ctx }, p) => {
    const where: string[] = [];
    const params: unknown[] = [];
    if (p.topic) { where.push('topic = ?'); params.push(p.topic.split('@')[0]); }
    if (p.space_id) { where.push('space_id = ?'); params.push(p.space_id); }
    if (p.after) { where.push('id > ?'); params.push(p.after); }
    params.push(p.limit ?? 1000);
    const rows = sql(ctx.db, `SELECT envelope FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ?`).all(...params) as { envelope: string }[];
    return { events: rows.map((r) => JSON.parse(r.envelope) as Envelope) };
  },
  'audit.list': ({ ctx }, p) => {
    const rows = sql(ctx.db, 'SELECT seq, event_id, prev_event_id, envelope_sha256, envelope FROM audit_chain WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(p.after_seq ?? 0, p.limit ?? 1000) as { seq: number; event_id: string; prev_event_id: string | null; envelope_sha256: string; envelope: string }[];
    return {
      entries: rows.map((r) => {
        let env: Partial<Envelope> = {};
        try { env = JSON.parse(r.envelope); } catch { /* a damaged row still lists; audit.verify names it */ }
        return {
          seq: r.seq, event_id: r.event_id, topic: String(env.topic ?? '?'), ts: String(env.ts ?? new Date(0).toISOString()),
          space_id: env.space_id ?? null, actor: String(env.actor?.member_id ?? '?'), envelope_sha256: r.envelope_sha256, prev_event_id: r.prev_event_id,
        };
      }),
    };
  },
  'audit.verify': ({ ctx }) => verifyAuditChain(ctx),
};
