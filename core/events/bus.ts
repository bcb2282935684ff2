import type { Envelope } from '../../contracts/types';

export type Subscriber = (envelope: Envelope) => void | Promise<void>;

/**
 * In-process event bus. Delivery happens after commit; a throwing subscriber is isolated and
 * counted and never breaks the publisher or the other subscribers.
 */
export class EventBus {
  private subs = new Map<number, { topic: string; fn: Subscriber }>();
  private next = 1;
  failures = 0;
  delivered = 0;

  constructor(private readonly onFailure: (err: unknown, topic: string) => void = () => {}) {}

  /** topic: a topic name without version ("HIPPO_ENCODE") or "*" for all. Returns an unsubscribe. */
  subscribe(topic: string, fn: Subscriber): () => void {
    const id = this.next++;
    this.subs.set(id, { topic, fn });
    return () => { this.subs.delete(id); };
  }

  deliver(envelope: Envelope): void {
    const name = envelope.topic.split('@')[0];
    for (const { topic, fn } of this.subs.values()) {
      if (topic !== '*' && topic !== name) continue;
      try {
        const r = fn(envelope);
        if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((e) => this.fail(e, name));
        this.delivered++;
      } catch (e) {
        this.fail(e, name);
      }
    }
  }

  private fail(err: unknown, topic: string): void {
    this.failures++;
    try { this.onFailure(err, topic); } catch { /* a failing logger must not break delivery either */ }
  }
}
