import type { Band, Envelope } from '../../contracts/types';
import { keys, APP_VERSION, type Ctx } from '../app/context';
import { sha256Hex } from '../crypto/hash';
import { b64, sign } from '../crypto/sodium';
import { canonicalJson } from '../shared/json';
import { iso } from '../shared/time';
import { ulid } from '../shared/ulid';
import { describeErrors, validatorFor } from '../schemas/validator';
import { policyDocument } from '../policy/policy-document';
import { topicEntry } from './topic-catalog';
import { appendToAuditChain, lastAuditEventId } from './audit-chain';
import { currentTraceId } from '../observability/trace';
import { sql } from '../store/statements';

export interface EmitInput {
  topic: string;
  payload: Record<string, unknown>;
  actor: { member_id: string; caps: string[] };
  space_id?: string | null;
  band?: Band;
  obligations?: string[];
  /** also chain this event into the audit log even if its band carries no AUDIT_ACCESS */
  audit?: boolean;
  priority?: number;
  trace_id?: string;
}

/** The bytes a device signs: RFC 8785 canonical JSON of the envelope without `signature`. */
export function signingBytes(envelope: Omit<Envelope, 'signature'> | Envelope): string {
  const { signature: _omit, ...rest } = envelope as Envelope;
  return canonicalJson(rest);
}

/** The hash chained in the audit log: canonical JSON without `signature` and without the hash itself. */
export function envelopeHash(envelope: Envelope): string {
  const { signature: _s, ...rest } = envelope;
  const { envelope_sha256: _h, ...hashes } = rest.hashes;
  return sha256Hex(canonicalJson({ ...rest, hashes }));
}

/**
 * Builds, validates, signs and stores an event inside the current unit of work; it is
 * delivered to subscribers only after commit.
 */
export function emit(ctx: Ctx, input: EmitInput): Envelope {
  const k = keys(ctx);
  const topic = topicEntry(input.topic);
  const obligations = [...new Set([...(input.obligations ?? []), ...(input.audit ? ['AUDIT_ACCESS'] : [])])];
  const audited = obligations.includes('AUDIT_ACCESS');
  const envelope: Envelope = {
    id: ulid(ctx.clock.now()),
    ts: iso(ctx.clock.now()),
    topic: `${topic.name}@${topic.version}`,
    band: input.band ?? 'GREEN',
    obligations,
    policy_version: policyDocument().policy_version,
    actor: { member_id: input.actor.member_id, caps: input.actor.caps as Envelope['actor']['caps'] },
    device: { device_id: k.deviceId, platform: ctx.platform, app_version: APP_VERSION },
    space_id: input.space_id ?? null,
    qos: { priority: input.priority ?? 5, latency_budget_ms: 1000 },
    hashes: { payload_sha256: sha256Hex(canonicalJson(input.payload)) },
    signature: { alg: 'ed25519', key_id: k.deviceId, signature: '' },
    schema_version: '1.0',
    payload: input.payload,
    ...((input.trace_id ?? currentTraceId()) ? { trace_id: input.trace_id ?? currentTraceId() } : {}),
  };
  if (audited) {
    envelope.hashes.prev_event_id = lastAuditEventId(ctx);
    envelope.hashes.envelope_sha256 = envelopeHash(envelope);
  }
  envelope.signature.signature = b64(sign(signingBytes(envelope), k.deviceSign.privateKey));

  if (!topic.validate(input.payload)) {
    throw new Error(`payload of ${topic.name} breaks its contract: ${JSON.stringify(describeErrors(topic.validate.errors))}`);
  }
  const v = validatorFor('events/envelope.schema.json');
  if (!v(envelope)) throw new Error('envelope breaks its contract: ' + JSON.stringify(describeErrors(v.errors)));

  const json = canonicalJson(envelope);
  sql(ctx.db, 'INSERT INTO events (id, topic, space_id, envelope) VALUES (?, ?, ?, ?)').run(envelope.id, topic.name, envelope.space_id, json);
  if (audited) appendToAuditChain(ctx, envelope, json);
  ctx.metrics.inc('memoryos_events_total', { topic: topic.name });
  ctx.uow.onCommit(() => ctx.bus.deliver(envelope));
  return envelope;
}
