import type { Envelope } from '../../../contracts/types';
import { ApiCallError } from './errors';
import type { EventListener, Transport, TransportStatus } from './transport';

/** The subset of the browser WebSocket this transport uses (a fake stands in for it in unit tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

const OPEN = 1;

export const topicName = (topic: string): string => topic.split('@')[0];
const CALL_TIMEOUT_MS = 120_000;
const GIVE_UP_AFTER = 3;
const MAX_BACKOFF_MS = 5_000;

interface Pending { resolve(v: unknown): void; reject(e: unknown): void; timer: ReturnType<typeof setTimeout> }

/**
 * The local host's WebSocket (/api/ws). The bearer token travels as the subprotocol
 * "memoryos.bearer.<token>" because browsers cannot set headers on a WebSocket. Calls made while
 * (re)connecting wait in a queue; subscriptions are renewed after every reconnect.
 */
export class WebSocketTransport implements Transport {
  readonly kind = 'websocket' as const;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** calls waiting for the socket to open; they have not reached the host yet */
  private readonly queue: { id: number; frame: string }[] = [];
  /** calls sent on the current socket, awaiting their answer */
  private readonly inFlight = new Set<number>();
  private readonly topics = new Map<string, Set<EventListener>>();
  private readonly statusListeners = new Set<(s: TransportStatus) => void>();
  private backoff = 250;
  /** connection attempts in a row that never opened (a stale token, a stopped host) */
  private failedOpens = 0;
  private opened = false;
  private closedByUs = false;

  constructor(
    private readonly url: string,
    private token: string,
    private readonly factory: SocketFactory = (u, p) => new WebSocket(u, p) as unknown as SocketLike,
  ) {
    this.connect();
  }

  private setStatus(s: TransportStatus): void {
    for (const l of this.statusListeners) l(s);
  }

  private connect(): void {
    this.setStatus('connecting');
    const socket = this.factory(this.url, [`memoryos.bearer.${this.token}`]);
    this.socket = socket;
    socket.onopen = () => {
      this.backoff = 250;
      this.failedOpens = 0;
      this.opened = true;
      for (const topic of this.topics.keys()) socket.send(JSON.stringify({ id: this.nextId++, subscribe: topic }));
      for (const q of this.queue.splice(0)) { socket.send(q.frame); this.inFlight.add(q.id); }
      this.setStatus('open');
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => { /* onclose follows and handles it */ };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // a call in flight may or may not have run on the host: fail it rather than resend it
      for (const id of this.inFlight) {
        const p = this.pending.get(id);
        if (!p) continue;
        clearTimeout(p.timer);
        p.reject(new ApiCallError('TRANSPORT', 'the connection to the local host closed'));
        this.pending.delete(id);
      }
      this.inFlight.clear();
      if (!this.opened) this.failedOpens++;
      this.opened = false;
      // queued calls would wait forever on a host that keeps refusing: fail them, keep retrying
      if (this.failedOpens >= GIVE_UP_AFTER) this.failQueued();
      this.setStatus('closed');
      if (this.closedByUs) return;
      setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    };
  }

  private receive(data: unknown): void {
    let msg: { id?: number; result?: unknown; error?: unknown; event?: Envelope };
    try { msg = JSON.parse(String(data)); } catch { return; }
    if (msg.event) {
      const env = msg.event;
      // topics travel versioned ("HIPPO_ENCODE@1"); listeners subscribe by name
      for (const key of [topicName(env.topic), '*']) for (const l of this.topics.get(key) ?? []) l(env);
      return;
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) return; // subscription acknowledgements
    this.pending.delete(msg.id!);
    this.inFlight.delete(msg.id!);
    clearTimeout(p.timer);
    if ('error' in msg) p.reject(ApiCallError.from(msg));
    else p.resolve(msg.result);
  }

  private failQueued(): void {
    for (const q of this.queue.splice(0)) {
      const p = this.pending.get(q.id);
      if (!p) continue;
      clearTimeout(p.timer);
      this.pending.delete(q.id);
      p.reject(new ApiCallError('TRANSPORT', 'The local host refused the connection or is not running. If you restarted it, open the new link it printed.'));
    }
  }

  private sendFrame(id: number, frame: string): void {
    if (this.socket && this.socket.readyState === OPEN) { this.socket.send(frame); this.inFlight.add(id); }
    else this.queue.push({ id, frame });
  }

  call(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.inFlight.delete(id);
        const queued = this.queue.findIndex((q) => q.id === id);
        if (queued >= 0) this.queue.splice(queued, 1);
        reject(new ApiCallError('TRANSPORT', `${method} timed out`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.sendFrame(id, JSON.stringify({ id, method, params: params ?? {} }));
    });
  }

  subscribe(topic: string, listener: EventListener): () => void {
    let set = this.topics.get(topic);
    if (!set) {
      set = new Set();
      this.topics.set(topic, set);
      // the host keeps a subscription per socket message; ask once per topic
      if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify({ id: this.nextId++, subscribe: topic }));
    }
    set.add(listener);
    return () => { set!.delete(listener); };
  }

  setToken(token: string): void {
    this.token = token;
  }

  onStatus(listener: (s: TransportStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => { this.statusListeners.delete(listener); };
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close();
  }
}
