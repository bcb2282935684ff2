import { workerData, type MessagePort } from 'node:worker_threads';
import type { Band } from '../../contracts/types';
import { buildNewMemory, type BuiltMemory, type NewMemory } from './fresh-updates';
import type { MetaKey } from './record-seal';

/**
 * The import's second thread (fresh-updates-thread.ts): builds and seals each chunk of new
 * memories it is sent, in order, and answers each with what it built. It touches no file and no
 * database. The keys it is sent (each memory's own key, the metadata key of each band) are
 * copies, zeroed here once the chunk is sealed.
 */
export interface BuildRequest { job: number; clientId: number; metaKeys: Partial<Record<Band, MetaKey>>; memories: NewMemory[] }
export type BuildReply = { job: number; built: BuiltMemory[] } | { job: number; error: string };

/** A buffer that is exactly its view can move to the other thread instead of being copied. */
const movable = (u: Uint8Array): ArrayBuffer[] => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength && u.buffer instanceof ArrayBuffer ? [u.buffer] : []);
const moved = (b: BuiltMemory): ArrayBuffer[] => [b.updates.meta, b.updates.content, b.entries.meta.nonce, b.entries.meta.ciphertext, b.entries.content.nonce,
  b.entries.content.ciphertext, b.record.meta.nonce, b.record.meta.ciphertext, b.record.content.nonce, b.record.content.ciphertext,
  b.record.state.nonce, b.record.state.ciphertext].flatMap(movable);

function serve({ port, shared }: { port: MessagePort; shared: Int32Array }): void {
  port.on('message', ({ job, clientId, metaKeys, memories }: BuildRequest) => {
    try {
      const built = memories.map((m) => {
        const mk = metaKeys[m.meta.band];
        if (!mk) throw new Error(`no metadata key for ${m.meta.band}`);
        return buildNewMemory(clientId, m, mk);
      });
      port.postMessage({ job, built } satisfies BuildReply, built.flatMap(moved));
    } catch (e) {
      port.postMessage({ job, error: (e as Error).name } satisfies BuildReply);
    } finally {
      for (const m of memories) m.dek.fill(0);
      for (const mk of Object.values(metaKeys)) mk?.key.fill(0);
    }
    // after the reply is on the channel: the writing thread may be asleep on this counter
    Atomics.add(shared, 0, 1);
    Atomics.notify(shared, 0);
  });
  // loaded and listening: the writing thread may hand chunks over from now on
  Atomics.store(shared, 1, 1);
}

if (workerData?.port) serve(workerData as { port: MessagePort; shared: Int32Array });
