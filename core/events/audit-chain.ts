import type { Envelope } from '../../contracts/types';
import type { Ctx } from '../app/context';
import { fromB64, verify } from '../crypto/sodium';
import { sha256Hex } from '../crypto/hash';
import { canonicalJson } from '../shared/json';
import { envelopeHash, signingBytes } from './envelope';
import { sql } from '../store/statements';

export function lastAuditEventId(ctx: Ctx): string | null {
  const row = sql(ctx.db, 'SELECT event_id FROM audit_chain ORDER BY seq DESC LIMIT 1').get() as { event_id: string } | undefined;
  return row?.event_id ?? null;
}

export function appendToAuditChain(ctx: Ctx, envelope: Envelope, json: string): void {
  sql(ctx.db, 'INSERT INTO audit_chain (event_id, prev_event_id, envelope_sha256, envelope) VALUES (?, ?, ?, ?)')
    .run(envelope.id, envelope.hashes.prev_event_id ?? null, envelope.hashes.envelope_sha256, json);
}

export interface AuditVerdict {
  valid: boolean;
  checked: number;
  first_broken: { seq: number; event_id: string; reason: string } | null;
}

/** Walks the chain in order; names the first row whose link, hash, payload or signature fails. */
export function verifyAuditChain(ctx: Ctx): AuditVerdict {
  const devices = new Map<string, Uint8Array>();
  for (const d of sql(ctx.db, 'SELECT device_id, ed25519_pub FROM devices').all() as { device_id: string; ed25519_pub: Buffer }[]) {
    devices.set(d.device_id, new Uint8Array(d.ed25519_pub));
  }
  let prev: string | null = null;
  let expectedSeq = 1;
  let checked = 0;
  const rows = ctx.db.prepare('SELECT seq, event_id, prev_event_id, envelope_sha256, envelope FROM audit_chain ORDER BY seq').iterate() as
    IterableIterator<{ seq: number; event_id: string; prev_event_id: string | null; envelope_sha256: string; envelope: string }>;
  for (const row of rows) {
    const broken = (reason: string): AuditVerdict => ({ valid: false, checked, first_broken: { seq: row.seq, event_id: row.event_id, reason } });
    if (row.seq !== expectedSeq) return broken(`a link is missing before seq ${row.seq}`);
    let env: Envelope;
    try { env = JSON.parse(row.envelope) as Envelope; } catch { return broken('envelope is not JSON'); }
    if (env.id !== row.event_id) return broken('event id differs from the envelope');
    if ((row.prev_event_id ?? null) !== prev || (env.hashes.prev_event_id ?? null) !== prev) return broken('previous-event link does not match the chain');
    const hash = envelopeHash(env);
    if (hash !== row.envelope_sha256 || hash !== env.hashes.envelope_sha256) return broken('envelope hash does not match its content');
    if (sha256Hex(canonicalJson(env.payload)) !== env.hashes.payload_sha256) return broken('payload hash does not match the payload');
    const pub = devices.get(env.signature.key_id);
    if (!pub) return broken('signed by an unknown device');
    if (!verify(fromB64(env.signature.signature), signingBytes(env), pub)) return broken('signature does not verify');
    prev = row.event_id;
    expectedSeq++;
    checked++;
  }
  return { valid: true, checked, first_broken: null };
}
