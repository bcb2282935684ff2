import { ApiCallError } from './errors';
import type { EventListener, MemoryOsBridge, Transport } from './transport';

/**
 * Electron: calls go through window.memoryos (contextBridge). The preload answers with the
 * contract envelope ({result} | {error}) because Error objects lose their fields crossing the
 * bridge.
 */
export class IpcTransport implements Transport {
  readonly kind = 'ipc' as const;
  constructor(private readonly bridge: MemoryOsBridge) {}

  async call(method: string, params: unknown): Promise<unknown> {
    let reply: unknown;
    try {
      reply = await this.bridge.call(method, params);
    } catch (e) {
      throw new ApiCallError('TRANSPORT', `IPC call failed: ${(e as Error)?.message ?? e}`);
    }
    const r = reply as { result?: unknown; error?: unknown } | null;
    if (r && 'error' in r) throw ApiCallError.from(r);
    return r?.result;
  }

  subscribe(topic: string, listener: EventListener): () => void {
    return this.bridge.subscribe(topic, listener);
  }
}
