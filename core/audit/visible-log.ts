import type { Envelope } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { eventVisibleTo, type EventViewer } from '../policy/event-visibility';
import { membershipsOf } from '../spaces/spaces';
import { auditChainTable, type AuditRow } from '../store/tables/audit-chain';
import { eventsTable } from '../store/tables/events';

const PAGE = 500;

function viewer(ctx: Ctx, actor: string): EventViewer {
  return { member_id: actor, owner: actor === keys(ctx).memberId, roles: new Map(membershipsOf(ctx, actor).map((m) => [m.space_id, m.role])) };
}

/**
 * Whether a live event may reach a session bound to `member`: an event of a space by the rule
 * events.list applies; the vault's own (locked, unlocked, devices) reach every session, whose
 * screens follow the vault's state.
 */
export function eventVisibleToMember(ctx: Ctx, env: Envelope, member: string): boolean {
  if (!env.space_id) return true;
  if (!ctx.keyring) return false;
  return eventVisibleTo(env, viewer(ctx, member));
}

/** events.list as the actor may see it, in order, up to `limit`. */
export function visibleEvents(ctx: Ctx, actor: string, f: { topic?: string; space_id?: string; after?: string; limit: number }): Envelope[] {
  const v = viewer(ctx, actor);
  const out: Envelope[] = [];
  let after = f.after;
  for (;;) {
    const page = eventsTable.list(ctx.db, { topic: f.topic, space_id: f.space_id, after, limit: PAGE });
    for (const json of page) {
      const env = JSON.parse(json) as Envelope;
      after = env.id;
      if (eventVisibleTo(env, v)) out.push(env);
      if (out.length >= f.limit) return out;
    }
    if (page.length < PAGE) return out;
  }
}

/** audit.list rows as the actor may see them (a damaged row is shown to the owner only: audit.verify names it). */
export function visibleAudit(ctx: Ctx, actor: string, afterSeq: number, limit: number): { row: AuditRow; env: Partial<Envelope> }[] {
  const v = viewer(ctx, actor);
  const out: { row: AuditRow; env: Partial<Envelope> }[] = [];
  let after = afterSeq;
  for (;;) {
    const page = auditChainTable.page(ctx.db, after, PAGE);
    for (const row of page) {
      after = row.seq;
      let env: Partial<Envelope> | null = null;
      try { env = JSON.parse(row.envelope) as Envelope; } catch { env = null; }
      const visible = env ? eventVisibleTo({ space_id: env.space_id ?? null, band: env.band ?? 'BLACK', actor: env.actor! }, v) : v.owner;
      if (visible) out.push({ row, env: env ?? {} });
      if (out.length >= limit) return out;
    }
    if (page.length < PAGE) return out;
  }
}
