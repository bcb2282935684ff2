import { workerData, type MessagePort } from 'node:worker_threads';
import { isEntry } from './frames';
import { prepareFrame, type Prep, type PrepKeys } from './receive-prep';

/**
 * The second thread of a receiving host (receive-prep-thread.ts): prepares each frame it is sent,
 * in order, and answers with the preparation. It touches no file and no database. The keys it is
 * sent are copies, zeroed here once the frame is prepared.
 */
export interface PrepRequest { id: number; space: string; raw: unknown[]; keys: PrepKeys }
export type PrepReply = { id: number } & ({ prep: Prep } | { error: string } | { ready: true });

/** Every buffer the preparation owns whole moves to the other thread instead of being copied (each once). */
function movable(prep: Prep): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (u: Uint8Array) => { if (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength && u.buffer instanceof ArrayBuffer) out.add(u.buffer); };
  for (const e of prep.entries) if (e) { add(e.nonce); add(e.ciphertext); add(e.signature); }
  for (const m of prep.memories) {
    add(m.metaPlain); add(m.contentPlain);
    for (const s of [m.record.meta, m.record.content, m.record.state]) { add(s.nonce); add(s.ciphertext); }
  }
  return [...out];
}

function serve(port: MessagePort): void {
  // the frame schema compiled before the first frame (~0.4 s): the receiving thread sends frames only once it is told
  isEntry({});
  port.postMessage({ id: 0, ready: true } satisfies PrepReply);
  port.on('message', (req: PrepRequest) => {
    try {
      const prep = prepareFrame(req.space, req.raw, req.keys);
      port.postMessage({ id: req.id, prep } satisfies PrepReply, movable(prep));
      // the memories' keys were copied into the reply: this thread's copies go
      for (const m of prep.memories) m.dek.fill(0);
    } catch (e) {
      port.postMessage({ id: req.id, error: (e as Error).name } satisfies PrepReply);
    } finally {
      for (const ks of Object.values(req.keys.epochs)) for (const k of ks) k.fill(0);
      req.keys.metaKey?.key.fill(0);
    }
  });
}

if (workerData?.port) serve(workerData.port as MessagePort);
