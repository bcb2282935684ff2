import type { Band, Envelope, TopicName, TopicPayloads } from '../../contracts/types';
import { sha256Hex } from '../crypto/hash';
import { b64, sign } from '../crypto/sodium';
import type { Metrics } from '../observability/metrics';
import { currentTraceId } from '../observability/trace';
import { policyDocument } from '../policy/policy-document';
import { describeErrors, validatorFor } from '../schemas/validator';
import { ApiError } from '../shared/errors';
import { canonicalJson } from '../shared/json';
import { iso, type Clock } from '../shared/time';
import { ulid } from '../shared/ulid';
import { APP_VERSION } from '../shared/version';
import type { Db } from '../store/database';
import type { UnitOfWork } from '../store/unit-of-work';
import { auditChainTable } from '../store/tables/audit-chain';
import { eventsTable } from '../store/tables/events';
import type { EventBus } from './bus';
import { envelopeHash, signingBytes } from './envelope';
import { topicEntry } from './topic-catalog';

/** What emitting needs from the open vault (named here: events depend on no layer above them). */
export interface EmitContext {
  readonly db: Db;
  readonly uow: UnitOfWork;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly platform: string;
  readonly metrics: Metrics;
  readonly keyring: { readonly deviceId: string; readonly deviceSign: { readonly privateKey: Uint8Array } } | null;
}

export interface EmitInput<T extends TopicName> {
  topic: T;
  payload: TopicPayloads[T];
  actor: { member_id: string; caps: readonly string[] };
  space_id?: string | null;
  band?: Band;
  obligations?: readonly string[];
  /** also chain this event into the audit log even if its band carries no AUDIT_ACCESS */
  audit?: boolean;
  priority?: number;
  trace_id?: string;
}

/**
 * Builds, validates, signs and stores an event inside the current unit of work; it is
 * delivered to subscribers only after commit.
 */
export function emit<T extends TopicName>(ctx: EmitContext, input: EmitInput<T>): Envelope {
  const k = ctx.keyring;
  if (!k) throw new ApiError('LOCKED', 'the vault is locked: unlock it first');
  const topic = topicEntry(input.topic);
  const obligations = [...new Set([...(input.obligations ?? []), ...(input.audit ? ['AUDIT_ACCESS'] : [])])];
  const audited = obligations.includes('AUDIT_ACCESS');
  const payload = input.payload as unknown as Record<string, unknown>;
  const traceId = input.trace_id ?? currentTraceId();
  const envelope: Envelope = {
    id: ulid(ctx.clock.now()),
    ts: iso(ctx.clock.now()),
    topic: `${topic.name}@${topic.version}`,
    band: input.band ?? 'GREEN',
    obligations,
    policy_version: policyDocument().policy_version,
    actor: { member_id: input.actor.member_id, caps: [...input.actor.caps] as Envelope['actor']['caps'] },
    device: { device_id: k.deviceId, platform: ctx.platform, app_version: APP_VERSION },
    space_id: input.space_id ?? null,
    qos: { priority: input.priority ?? 5, latency_budget_ms: 1000 },
    hashes: { payload_sha256: sha256Hex(canonicalJson(payload)) },
    signature: { alg: 'ed25519', key_id: k.deviceId, signature: '' },
    schema_version: '1.0',
    payload,
    ...(traceId ? { trace_id: traceId } : {}),
  };
  if (audited) {
    envelope.hashes.prev_event_id = auditChainTable.lastEventId(ctx.db);
    envelope.hashes.envelope_sha256 = envelopeHash(envelope);
  }
  envelope.signature.signature = b64(sign(signingBytes(envelope), k.deviceSign.privateKey));

  if (!topic.validate(payload)) {
    throw new Error(`payload of ${topic.name} breaks its contract: ${JSON.stringify(describeErrors(topic.validate.errors))}`);
  }
  const v = validatorFor('events/envelope.schema.json');
  if (!v(envelope)) throw new Error('envelope breaks its contract: ' + JSON.stringify(describeErrors(v.errors)));

  const json = canonicalJson(envelope);
  eventsTable.insert(ctx.db, envelope.id, topic.name, envelope.space_id, json);
  if (audited) auditChainTable.append(ctx.db, envelope.id, envelope.hashes.prev_event_id ?? null, envelope.hashes.envelope_sha256!, json);
  ctx.metrics.inc('memoryos_events_total', { topic: topic.name });
  ctx.uow.onCommit(() => ctx.bus.deliver(envelope));
  return envelope;
}
