import { workerData, type MessagePort } from 'node:worker_threads';
import { freshUpdates, type FreshMemory, type FreshUpdates } from './fresh-updates';

/**
 * The import's second thread (fresh-updates-thread.ts): builds the documents of each chunk of
 * new memories it is sent, in order, and answers each with their updates. It holds no key and
 * touches no file: what it is sent is the metadata (with the memory key already wrapped) and
 * the content, and what it returns is what the writing thread then seals.
 */
export interface BuildRequest { job: number; clientId: number; memories: FreshMemory[] }
export type BuildReply = { job: number; updates: FreshUpdates[] } | { job: number; error: string };

/** A buffer that is exactly its view can move to the other thread instead of being copied. */
const movable = (u: Uint8Array): ArrayBuffer[] => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength && u.buffer instanceof ArrayBuffer ? [u.buffer] : []);

function serve({ port, shared }: { port: MessagePort; shared: Int32Array }): void {
  port.on('message', ({ job, clientId, memories }: BuildRequest) => {
    try {
      const updates = memories.map((m) => freshUpdates(clientId, m));
      port.postMessage({ job, updates } satisfies BuildReply, updates.flatMap((u) => [...movable(u.meta), ...movable(u.content)]));
    } catch (e) {
      port.postMessage({ job, error: (e as Error).name } satisfies BuildReply);
    }
    // after the reply is on the channel: the writing thread may be asleep on this counter
    Atomics.add(shared, 0, 1);
    Atomics.notify(shared, 0);
  });
  // loaded and listening: the writing thread may hand chunks over from now on
  Atomics.store(shared, 1, 1);
}

if (workerData?.port) serve(workerData as { port: MessagePort; shared: Int32Array });
