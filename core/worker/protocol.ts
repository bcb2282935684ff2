import type { Envelope } from '../../contracts/types';
import type { AppStatus } from '../app/app';

/**
 * The core worker's message protocol (Electron main ↔ the utilityProcess that runs the core;
 * a Node parent ↔ a forked child in tests). Structured-clone messages, one concern each: calls,
 * subscriptions and their events, and the lifecycle (ready, close, closed, fatal).
 */
export type ToWorker =
  | { t: 'call'; id: number; method: string; params: unknown; as?: string }
  | { t: 'subscribe'; id: number; topic: string }
  | { t: 'unsubscribe'; id: number }
  | { t: 'close' };

export type FromWorker =
  | { t: 'ready'; status: AppStatus }
  | { t: 'result'; id: number; result: unknown }
  | { t: 'error'; id: number; error: { code: string; message: string; details: unknown } }
  | { t: 'event'; id: number; envelope: Envelope }
  | { t: 'closed' }
  | { t: 'fatal'; message: string };

/** Either end of the channel: post a message, hear messages. */
export interface MessageChannelLike<In, Out> {
  post(msg: Out): void;
  onMessage(fn: (msg: In) => void): void;
}

export function isToWorker(m: unknown): m is ToWorker {
  if (!m || typeof m !== 'object') return false;
  const x = m as { t?: unknown; id?: unknown; method?: unknown; topic?: unknown; as?: unknown };
  switch (x.t) {
    case 'call': return Number.isInteger(x.id) && typeof x.method === 'string' && (x.as === undefined || typeof x.as === 'string');
    case 'subscribe': return Number.isInteger(x.id) && typeof x.topic === 'string';
    case 'unsubscribe': return Number.isInteger(x.id);
    case 'close': return true;
    default: return false;
  }
}
