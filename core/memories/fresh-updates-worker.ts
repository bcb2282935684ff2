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
export interface BuildRequest {
  job: number;
  /** the chunk's place in its import, and the import's claims (0 free, 1 this worker, 2 the writing thread: whoever claims a chunk first builds it) */
  index: number; claims: Int32Array;
  clientId: number; metaKeys: Partial<Record<Band, MetaKey>>; memories: NewMemory[];
}
export type BuildReply = { job: number; index: number } & ({ built: BuiltMemory[] } | { skipped: true } | { error: string });

const WORKER = 1;

/** A buffer that is exactly its view can move to the other thread instead of being copied. */
const movable = (u: Uint8Array): ArrayBuffer[] => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength && u.buffer instanceof ArrayBuffer ? [u.buffer] : []);
const moved = (b: BuiltMemory): ArrayBuffer[] => [b.updates.meta, b.updates.content, b.entries.meta.nonce, b.entries.meta.ciphertext, b.entries.content.nonce,
  b.entries.content.ciphertext, b.record.meta.nonce, b.record.meta.ciphertext, b.record.content.nonce, b.record.content.ciphertext,
  b.record.state.nonce, b.record.state.ciphertext].flatMap(movable);

/** Chunk `index` built, or skipped when the writing thread claimed it first (it built it while waiting for an earlier one). */
function reply({ job, index, claims, clientId, metaKeys, memories }: BuildRequest): { reply: BuildReply; transfer: ArrayBuffer[] } {
  if (Atomics.compareExchange(claims, index, 0, WORKER) !== 0) return { reply: { job, index, skipped: true }, transfer: [] };
  const built = memories.map((m) => {
    const mk = metaKeys[m.meta.band];
    if (!mk) throw new Error(`no metadata key for ${m.meta.band}`);
    return buildNewMemory(clientId, m, mk);
  });
  return { reply: { job, index, built }, transfer: built.flatMap(moved) };
}

function serve({ port, shared }: { port: MessagePort; shared: Int32Array }): void {
  port.on('message', (req: BuildRequest) => {
    try {
      const { reply: r, transfer } = reply(req);
      port.postMessage(r, transfer);
    } catch (e) {
      port.postMessage({ job: req.job, index: req.index, error: (e as Error).name } satisfies BuildReply);
    } finally {
      for (const m of req.memories) m.dek.fill(0);
      for (const mk of Object.values(req.metaKeys)) mk?.key.fill(0);
    }
    // after the reply is on the channel: the writing thread may be asleep on this counter
    Atomics.add(shared, 0, 1);
    Atomics.notify(shared, 0);
  });
  // loaded and listening: the writing thread may hand chunks over from now on
  Atomics.store(shared, 1, 1);
}

if (workerData?.port) serve(workerData as { port: MessagePort; shared: Int32Array });
