import type { Envelope } from '../../contracts/types';
import type { AppStatus } from '../app/app';
import { ApiError, type ErrorCode } from '../shared/errors';
import type { FromWorker, MessageChannelLike, ToWorker } from './protocol';

/**
 * The parent side of the core worker protocol: calls as promises, subscriptions as callbacks,
 * a clean close. Electron main uses it over a utilityProcess, tests over child_process.fork.
 */
export class CoreWorkerClient {
  private next = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private listeners = new Map<number, (e: Envelope) => void>();
  private closedResolve!: () => void;
  readonly closed = new Promise<void>((r) => { this.closedResolve = r; });
  readonly ready: Promise<AppStatus>;

  constructor(private readonly channel: MessageChannelLike<unknown, ToWorker>) {
    let readyResolve!: (s: AppStatus) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => { readyResolve = res; readyReject = rej; });
    channel.onMessage((raw) => {
      const m = raw as FromWorker;
      switch (m?.t) {
        case 'ready': readyResolve(m.status); break;
        case 'fatal': readyReject(new ApiError('INTERNAL', `the core worker failed to start: ${m.message}`)); this.gone(); break;
        case 'result': this.settle(m.id, (p) => p.resolve(m.result)); break;
        case 'error': this.settle(m.id, (p) => p.reject(new ApiError(m.error.code as ErrorCode, m.error.message, m.error.details))); break;
        case 'event': this.listeners.get(m.id)?.(m.envelope); break;
        case 'closed': this.gone(); break;
        default: break;
      }
    });
  }

  private settle(id: number, fn: (p: { resolve(v: unknown): void; reject(e: Error): void }) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    fn(p);
  }

  /** The worker is gone (closed, or its process exited): every call still waiting fails with BUSY. */
  gone(): void {
    for (const p of this.pending.values()) p.reject(new ApiError('BUSY', 'the core worker stopped'));
    this.pending.clear();
    this.listeners.clear();
    this.closedResolve();
  }

  call(method: string, params: unknown = {}, as?: string): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.channel.post({ t: 'call', id, method, params, ...(as ? { as } : {}) });
    });
  }

  subscribe(topic: string, fn: (e: Envelope) => void): () => void {
    const id = this.next++;
    this.listeners.set(id, fn);
    this.channel.post({ t: 'subscribe', id, topic });
    return () => { if (this.listeners.delete(id)) this.channel.post({ t: 'unsubscribe', id }); };
  }

  /** Asks the worker to close the app (keys wiped, database closed) and waits for it. */
  async close(): Promise<void> {
    this.channel.post({ t: 'close' });
    await this.closed;
  }
}
