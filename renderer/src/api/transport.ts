import type { Envelope } from '../../../contracts/types';

export type EventListener = (event: Envelope) => void;

/**
 * How calls and events travel. Two implementations: Electron IPC through the preload, and a
 * WebSocket to the local host. Both reject with ApiCallError.
 */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  call(method: string, params: unknown): Promise<unknown>;
  /** topic is an event topic or "*"; returns an unsubscribe function */
  subscribe(topic: string, listener: EventListener): () => void;
  /** connection state changes (the WebSocket reconnects; IPC is always "open") */
  onStatus?(listener: (status: TransportStatus) => void): () => void;
  /**
   * the local host answered a profile switch with a new session token: the open socket is
   * already rebound, later (re)connections present this one (IPC keeps no such token)
   */
  setToken?(token: string): void;
}

export type TransportStatus = 'connecting' | 'open' | 'closed';

/** The narrow bridge Electron's preload puts on window (see electron/preload.ts). */
export interface MemoryOsBridge {
  call(method: string, params: unknown): Promise<unknown>;
  subscribe(topic: string, listener: (event: Envelope) => void): () => void;
}
