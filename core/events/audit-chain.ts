import type { Envelope } from '../../contracts/types';
import { fromB64, verify } from '../crypto/sodium';
import { sha256Hex } from '../crypto/hash';
import { canonicalJson } from '../shared/json';
import type { Db } from '../store/database';
import { auditChainTable } from '../store/tables/audit-chain';
import { devicesTable } from '../store/tables/devices';
import { envelopeHash, signingBytes } from './envelope';

export interface AuditVerdict {
  valid: boolean;
  checked: number;
  first_broken: { seq: number; event_id: string; reason: string } | null;
}

/** Walks the chain in order; names the first row whose link, hash, payload or signature fails. */
export function verifyAuditChain({ db }: { db: Db }): AuditVerdict {
  const devices = new Map(devicesTable.list(db).map((d) => [d.device_id, new Uint8Array(d.ed25519_pub)]));
  let prev: string | null = null;
  let expectedSeq = 1;
  let checked = 0;
  for (const row of auditChainTable.iterate(db)) {
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
