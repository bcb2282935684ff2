import { openApp } from '../app/app';
import type { AppStatus } from '../app/app';
import type { AppOptions } from '../app/options';
import type { TopicFilter } from '../events/topics';
import { callHost, subscribeHost } from '../host/client';
import { readLiveLock, type HostLock } from '../host/lock-file';
import { startHost } from '../host/server';
import { ApiError } from '../shared/errors';
import { isToWorker, type FromWorker, type MessageChannelLike, type ToWorker } from './protocol';

/** What the worker answers the protocol with: the app it opened, or the host that already holds the data directory. */
interface Core {
  call(method: string, params: unknown, as?: string): Promise<unknown>;
  subscribe(topic: string, fn: (envelope: unknown) => void): Promise<() => void>;
  status(): Promise<AppStatus>;
  close(): Promise<void>;
}

/**
 * The single writer of a data directory is whoever holds host.lock. The worker takes it (it runs
 * the local host beside the app, on loopback, so a CLI call in a terminal goes through it), or —
 * when `memoryos serve` already holds it — becomes that host's client instead of opening the
 * database a second time.
 */
async function openCore(options: AppOptions): Promise<Core> {
  const lock = readLiveLock(options.dataDir);
  if (lock) return clientOf(lock, options.dataDir);
  const app = await openApp(options);
  let host: Awaited<ReturnType<typeof startHost>>;
  try {
    host = await startHost(app, { port: 0, staticDir: null, syncPort: app.status().sync.port });
  } catch (e) {
    await app.close();
    throw e;
  }
  return {
    call: (method, params, as) => app.call(method, params, { actor: as, door: 'worker' }),
    subscribe: async (topic, fn) => app.subscribe(topic as TopicFilter, fn),
    status: async () => app.status(),
    close: async () => { await host.close(); await app.close(); },
  };
}

function clientOf(lock: HostLock, dataDir: string): Core {
  return {
    call: (method, params, as) => callHost(lock, method, params, as),
    subscribe: (topic, fn) => subscribeHost(lock, topic, fn),
    status: async () => {
      const v = (await callHost(lock, 'vault.status', {})) as { unlocked: boolean };
      return { data_dir: dataDir, unlocked: v.unlocked, sync: { running: lock.sync_port != null, port: lock.sync_port ?? null, hyperswarm: false } };
    },
    close: async () => {},
  };
}

/**
 * The worker side: answers the protocol on the channel until it is told to close. Calls run
 * concurrently; events of each subscription are forwarded as they are delivered (after their
 * unit of work committed).
 */
export async function serveWorker(channel: MessageChannelLike<unknown, FromWorker>, options: AppOptions, exit: (code: number) => void): Promise<void> {
  let core: Core;
  try {
    core = await openCore(options);
  } catch (e) {
    channel.post({ t: 'fatal', message: (e as Error).message.slice(0, 500) });
    exit(1);
    return;
  }
  const subs = new Map<number, Promise<() => void>>();
  let closing = false;
  const unsubscribe = (id: number) => { const s = subs.get(id); subs.delete(id); void s?.then((u) => u(), () => {}); };
  const close = async () => {
    if (closing) return;
    closing = true;
    for (const id of [...subs.keys()]) unsubscribe(id);
    await core.close();
    channel.post({ t: 'closed' });
    exit(0);
  };
  channel.onMessage((raw) => {
    if (!isToWorker(raw)) return; // nothing but the protocol is answered
    const m: ToWorker = raw;
    if (m.t === 'close') { void close(); return; }
    if (closing) return;
    if (m.t === 'subscribe') {
      unsubscribe(m.id);
      subs.set(m.id, core.subscribe(m.topic, (envelope) => channel.post({ t: 'event', id: m.id, envelope: envelope as never })));
      return;
    }
    if (m.t === 'unsubscribe') { unsubscribe(m.id); return; }
    core.call(m.method, m.params, m.as).then(
      (result) => channel.post({ t: 'result', id: m.id, result }),
      (e) => channel.post({ t: 'error', id: m.id, ...(e instanceof ApiError ? e : new ApiError('INTERNAL', 'internal error')).toJSON() }),
    );
  });
  channel.post({ t: 'ready', status: await core.status() });
}
