import type { Db } from '../database';
import { query } from '../query';

/** The audit chain: envelopes with AUDIT_ACCESS, each linked to the previous one by id and hash. */
export interface AuditRow { seq: number; event_id: string; prev_event_id: string | null; envelope_sha256: string; envelope: string }

const last = query<[], { event_id: string }>('SELECT event_id FROM audit_chain ORDER BY seq DESC LIMIT 1');

export const auditChainTable = {
  lastEventId: (db: Db): string | null => last.get(db)?.event_id ?? null,
  append: query<[string, string | null, string, string]>('INSERT INTO audit_chain (event_id, prev_event_id, envelope_sha256, envelope) VALUES (?, ?, ?, ?)').run,
  page: query<[number, number], AuditRow>('SELECT seq, event_id, prev_event_id, envelope_sha256, envelope FROM audit_chain WHERE seq > ? ORDER BY seq LIMIT ?').all,
  iterate: query<[], AuditRow>('SELECT seq, event_id, prev_event_id, envelope_sha256, envelope FROM audit_chain ORDER BY seq').iterate,
};
