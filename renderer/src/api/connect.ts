import { ApiClient } from './client';
import { IpcTransport } from './ipc-transport';
import { browserTokenEnv, rememberLoginToken, takeLoginToken } from './login-token';
import type { MemoryOsBridge } from './transport';
import { WebSocketTransport } from './ws-transport';

declare global {
  interface Window { memoryos?: MemoryOsBridge }
}

export type Connection = { client: ApiClient } | { client: null; problem: string };

/** Picks the door: Electron's preload bridge when present, else the local host's WebSocket. */
export function connect(): Connection {
  if (window.memoryos) return { client: new ApiClient(new IpcTransport(window.memoryos)) };
  const token = takeLoginToken(browserTokenEnv());
  if (!token) {
    return { client: null, problem: 'This page needs the login link that `npm start` printed (it ends in #token=…). Open that link in this browser.' };
  }
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/ws`;
  return { client: new ApiClient(new WebSocketTransport(url, token), (t) => rememberLoginToken(window.sessionStorage, t)) };
}
