/**
 * The preload: the only code with access to both the page and Electron's IPC. It exposes exactly
 * two functions on window.memoryos — call and subscribe — and nothing of ipcRenderer itself.
 * Sandboxed preloads cannot require local modules, so the channel names are repeated here (they
 * match electron/ipc-channels.ts, and a unit test checks that).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL = 'memoryos:call';
const SUBSCRIBE = 'memoryos:subscribe';
const EVENT = 'memoryos:event';

type Listener = (event: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(EVENT, (_e: IpcRendererEvent, envelope: { topic?: unknown }) => {
  const topic = typeof envelope?.topic === 'string' ? envelope.topic.split('@')[0] : '';
  for (const key of [topic, '*']) for (const l of listeners.get(key) ?? []) l(envelope);
});

contextBridge.exposeInMainWorld('memoryos', {
  call(method: string, params: unknown): Promise<unknown> {
    return ipcRenderer.invoke(CALL, String(method), params ?? {});
  },
  subscribe(topic: string, listener: Listener): () => void {
    const t = String(topic);
    let set = listeners.get(t);
    if (!set) {
      set = new Set();
      listeners.set(t, set);
      ipcRenderer.send(SUBSCRIBE, t);
    }
    set.add(listener);
    return () => { set!.delete(listener); };
  },
});
