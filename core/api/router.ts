import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';
import { describeErrors } from '../schemas/validator';
import { withTrace } from '../observability/trace';
import { authorize, enforce, scopeOf, type PolicyAction } from '../policy/authorize';
import { apiCatalog, type MethodDescriptor } from './catalog';
import type { Handlers } from './handler';
import type { SyncPort } from './sync-port';
import type { SessionPort } from '../members/profiles';
import { reportProblems } from '../memories/integrity';
import { busyError, isBusy } from '../store/busy';
import { MAX_JSON_DEPTH, tooDeep, valueDepth } from '../shared/json-limits';

export interface CallOptions {
  /** act as this local member (a profile on a shared family device); default: the vault owner */
  actor?: string;
  trace_id?: string;
  /** which door the call came through, for metrics */
  door?: 'cli' | 'host' | 'ipc' | 'worker' | 'in-process';
  /** the door's session: once bound to a profile, every call acts as it and nobody else (the policy refuses another actor) */
  session?: SessionPort;
}

const MAX_PARAMS_BYTES = 4 * 1024 * 1024;

/** Every method has a handler and a policy action the policy document knows; anything else refuses to boot. */
function checkCatalog(catalog: Map<string, MethodDescriptor>, handlers: Partial<Handlers>): void {
  const missing = [...catalog.keys()].filter((m) => !(m in handlers));
  if (missing.length) throw new Error('API methods without a handler: ' + missing.join(', '));
  const extra = Object.keys(handlers).filter((m) => !catalog.has(m));
  if (extra.length) throw new Error('handlers without a contract: ' + extra.join(', '));
  const unruled = [...catalog.values()].filter((d) => !d.policyAction || !scopeOf(d.policyAction)).map((d) => d.method);
  if (unruled.length) throw new Error('API methods whose contract names no known policy action: ' + unruled.join(', '));
}

/**
 * The one router: validate input against the contract, resolve the actor, ask the policy for
 * the method's action, run the method, validate output. Every door (IPC, the core worker, the
 * local host, the CLI) goes through call(). Decisions that need a resource's facts (a memory's
 * band, a space's roles) are the policy's too: the domain asks it with those facts.
 */
export class Router {
  constructor(private readonly ctx: Ctx, private readonly handlers: Handlers, private readonly sync: () => SyncPort | null, catalog = apiCatalog()) {
    checkCatalog(catalog, handlers);
  }

  async call(method: string, params: unknown, opts: CallOptions = {}): Promise<unknown> {
    const t0 = performance.now();
    const traceId = opts.trace_id ?? randomBytes(16).toString('hex');
    let code = 'OK';
    try {
      return await withTrace(traceId, () => this.dispatch(method, params, opts, traceId));
    } catch (e) {
      if (e instanceof ApiError) this.audit();
      const err = e instanceof ApiError ? e : isBusy(e) ? busyError() : this.internal(e, method, traceId);
      code = err.code;
      throw err;
    } finally {
      const seconds = (performance.now() - t0) / 1000;
      const known = apiCatalog().has(method) ? method : 'unknown';
      this.ctx.metrics.inc('memoryos_api_calls_total', { method: known, code });
      this.ctx.metrics.observe('memoryos_api_call_seconds', seconds, { method: known });
      // method names, codes and timings only: never parameters, which may hold memory content
      this.ctx.log.log(code === 'OK' ? 'debug' : 'info', 'api call', { method: known, code, ms: Math.round(seconds * 1e4) / 10, trace_id: traceId, door: opts.door ?? 'in-process' });
    }
  }

  private async dispatch(method: string, params: unknown, opts: CallOptions, traceId: string): Promise<unknown> {
    const d = apiCatalog().get(method);
    if (!d) throw new ApiError('UNKNOWN_METHOD', `no method named ${String(method).slice(0, 80)}`, { known: [...apiCatalog().keys()] });
    const p = params === undefined || params === null ? {} : params;
    if (typeof p !== 'object' || Array.isArray(p)) throw new ApiError('INVALID_INPUT', 'params must be a JSON object', { problems: [{ path: '/', message: 'must be object' }] });
    // before anything that recurses (stringify, the validator) sees it
    if (valueDepth(p) > MAX_JSON_DEPTH) throw tooDeep();
    if (JSON.stringify(p).length > MAX_PARAMS_BYTES) throw new ApiError('INVALID_INPUT', 'params are too large', { max_bytes: MAX_PARAMS_BYTES });
    if (!d.validateRequest(p)) throw new ApiError('INVALID_INPUT', `invalid params for ${method}`, { problems: describeErrors(d.validateRequest.errors) });
    if (d.requiresUnlock && !this.ctx.keyring) throw new ApiError('LOCKED', 'the vault is locked: unlock it first');
    let actor = '';
    const k = this.ctx.keyring;
    if (k) {
      actor = opts.actor ?? opts.session?.member_id ?? k.memberId;
      this.ctx.lastActivity = this.ctx.clock.now();
    }
    // the method's action, decided from who acts: a local member? the vault owner?
    enforce(authorize({
      action: d.policyAction as PolicyAction, stage: 'call',
      actor: { member_id: actor, role: null, local: k ? k.members.has(actor) : undefined, owner: !!k && actor === k.memberId },
      session_member: opts.session?.member_id ?? undefined,
      device_id: k?.deviceId ?? '', undoWindowSeconds: 0,
    }));
    const result = await this.handlers[method as keyof Handlers]!({ ctx: this.ctx, actor, trace_id: traceId, sync: this.sync(), session: opts.session ?? null }, p as never);
    this.audit();
    if (!d.validateResponse(result)) {
      this.ctx.log.error('response breaks its contract', { method, problems: JSON.stringify(describeErrors(d.validateResponse.errors)).slice(0, 500) });
      throw new ApiError('INTERNAL', `the response of ${method} broke its contract`, { trace_id: traceId });
    }
    return result;
  }

  /** Records refused during the call are audited once it is done (never while a query still iterates). */
  private audit(): void {
    try { reportProblems(this.ctx); } catch (e) { this.ctx.log.warn('could not audit refused records', { error: (e as Error).name }); }
  }

  private internal(e: unknown, method: string, traceId: string): ApiError {
    const err = e as Error;
    this.ctx.log.error('internal error', { method: apiCatalog().has(method) ? method : 'unknown', error: err?.name ?? 'Error', trace_id: traceId, stack: (err?.stack ?? '').split('\n').slice(1, 5).join(' | ').slice(0, 600) });
    return new ApiError('INTERNAL', 'internal error', { trace_id: traceId });
  }

  methods() {
    return [...apiCatalog().values()].map((d) => ({ method: d.method, summary: d.summary, requiresUnlock: d.requiresUnlock }));
  }
}
