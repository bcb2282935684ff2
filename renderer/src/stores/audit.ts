import { create } from 'zustand';
import type { AuditEntry, AuditVerifyResponse, Envelope, PendingAction } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { api } from './client';
import { useMemories } from './memories';

/** entries per audit.list page (the contract maximum) */
export const AUDIT_PAGE = 5000;
/** entries shown at first, newest first; "Show older" shows more */
export const AUDIT_SHOWN = 200;

/** An audit entry with what its event says (ids only, never content), to put it into words. */
export interface AuditRow extends AuditEntry {
  payload: Record<string, unknown> | null;
  band: Envelope['band'] | null;
}

interface AuditState {
  /** every entry, newest first */
  rows: AuditRow[];
  /** staged actions, done ones included (undo.list include_done): a share's target space, a lowering's band */
  actions: Record<string, PendingAction>;
  verify: AuditVerifyResponse | null;
  verifying: boolean;
  error: string | null;
  /** the screen is open: audited events re-read it */
  watched: boolean;
  load(): Promise<void>;
  watch(): () => void;
  runVerify(): Promise<void>;
  reset(): void;
}

const initial = { rows: [], actions: {}, verify: null, verifying: false, error: null, watched: false };
/** bumped by reset(): answers to calls made before it are dropped (the screen was left) */
let generation = 0;

/**
 * The audit log screen: the chained entries, newest first, and the chain check. audit.list gives
 * topic, space, actor and hashes; the event behind each entry (events.list, matched by id) gives
 * the ids its sentence needs; memories are named from what the memories store knows (it reads
 * previews with memory.list, never opens a memory: opening an Amber one would itself be audited).
 */
export const useAudit = create<AuditState>((set, get) => ({
  ...initial,
  async load() {
    const g = generation;
    try {
      const entries: AuditEntry[] = [];
      for (let after = 0; ;) {
        const r = await api().call('audit.list', { limit: AUDIT_PAGE, after_seq: after });
        entries.push(...r.entries);
        if (r.entries.length < AUDIT_PAGE) break;
        after = r.entries[r.entries.length - 1].seq;
      }
      const newest = entries.slice(-AUDIT_SHOWN * 5);
      // the events of the newest entries, from the one before the oldest of them on
      const events = new Map<string, Envelope>();
      const start = newest[0]?.prev_event_id ?? undefined;
      for (let after = start, pages = 0; newest.length && pages < 4; pages++) {
        const r = await api().call('events.list', { limit: 5000, ...(after ? { after } : {}) });
        for (const e of r.events) events.set(e.id, e);
        if (r.events.length < 5000) break;
        after = r.events[r.events.length - 1].id;
      }
      const { actions } = await api().call('undo.list', { include_done: true });
      if (g !== generation) return;
      const rows = entries.map((e): AuditRow => {
        const ev = events.get(e.event_id);
        return { ...e, payload: (ev?.payload as Record<string, unknown> | undefined) ?? null, band: ev?.band ?? null };
      }).reverse();
      set({ rows, actions: Object.fromEntries(actions.map((a) => [a.action_id, a])), error: null });
      const ids = rows.slice(0, AUDIT_SHOWN * 5).flatMap((r) => (typeof r.payload?.memory_id === 'string' ? [r.payload.memory_id] : []));
      void useMemories.getState().ensureKnown(ids);
    } catch (e) { if (g === generation) set({ error: describeError(e) }); }
  },
  watch() {
    set({ watched: true });
    void get().load();
    return () => get().reset();
  },
  async runVerify() {
    const g = generation;
    set({ verifying: true, verify: null });
    try {
      const verify = await api().call('audit.verify', {});
      if (g === generation) set({ verify });
    } catch (e) { if (g === generation) set({ error: describeError(e) }); } finally { if (g === generation) set({ verifying: false }); }
  },
  reset() {
    generation++;
    set(initial);
  },
}));
