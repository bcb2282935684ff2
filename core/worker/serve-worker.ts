import { openApp, type App } from '../app/app';
import { ApiError } from '../shared/errors';
import type { TopicFilter } from '../events/topics';
import type { AppOptions } from '../app/options';
import { isToWorker, type FromWorker, type MessageChannelLike, type ToWorker } from './protocol';

/**
 * The worker side: opens the app from the options it is given and answers the protocol on the
 * channel until it is told to close. Calls run concurrently; events of each subscription are
 * forwarded as they are delivered (after their unit of work committed).
 */
export async function serveWorker(channel: MessageChannelLike<unknown, FromWorker>, options: AppOptions, exit: (code: number) => void): Promise<void> {
  let app: App;
  try {
    app = await openApp(options);
  } catch (e) {
    channel.post({ t: 'fatal', message: (e as Error).message.slice(0, 500) });
    exit(1);
    return;
  }
  const subs = new Map<number, () => void>();
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    for (const u of subs.values()) u();
    subs.clear();
    await app.close();
    channel.post({ t: 'closed' });
    exit(0);
  };
  channel.onMessage((raw) => {
    if (!isToWorker(raw)) return; // nothing but the protocol is answered
    const m: ToWorker = raw;
    if (m.t === 'close') { void close(); return; }
    if (closing) return;
    if (m.t === 'subscribe') {
      subs.get(m.id)?.();
      subs.set(m.id, app.subscribe(m.topic as TopicFilter, (envelope) => channel.post({ t: 'event', id: m.id, envelope })));
      return;
    }
    if (m.t === 'unsubscribe') { subs.get(m.id)?.(); subs.delete(m.id); return; }
    app.call(m.method, m.params, { actor: m.as, door: 'worker' }).then(
      (result) => channel.post({ t: 'result', id: m.id, result }),
      (e) => channel.post({ t: 'error', id: m.id, ...(e instanceof ApiError ? e : new ApiError('INTERNAL', 'internal error')).toJSON() }),
    );
  });
  channel.post({ t: 'ready', status: app.status() });
}
