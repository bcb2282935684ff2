import { create } from 'zustand';
import type { AuditEntry, AuditVerifyResponse } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { api } from './client';

/** entries per audit.list page */
export const AUDIT_PAGE = 200;

interface AuditState {
  entries: AuditEntry[];
  /** a full page came back: there may be more after the last entry */
  more: boolean;
  verify: AuditVerifyResponse | null;
  verifying: boolean;
  error: string | null;
  /** the first page again (after: the next page, after that seq) */
  load(after?: number): Promise<void>;
  runVerify(): Promise<void>;
  reset(): void;
}

const initial = { entries: [], more: false, verify: null, verifying: false, error: null };
/** bumped by reset(): answers to calls made before it are dropped (the screen was left) */
let generation = 0;

/** The audit log screen: the chained entries, page by page, and the chain check. */
export const useAudit = create<AuditState>((set, get) => ({
  ...initial,
  async load(after) {
    const g = generation;
    try {
      const r = await api().call('audit.list', { limit: AUDIT_PAGE, ...(after !== undefined ? { after_seq: after } : {}) });
      if (g !== generation) return;
      set({ entries: after === undefined ? r.entries : [...get().entries, ...r.entries], more: r.entries.length === AUDIT_PAGE });
    } catch (e) { if (g === generation) set({ error: describeError(e) }); }
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
