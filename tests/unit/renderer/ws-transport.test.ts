import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiCallError } from '../../../renderer/src/api/errors';
import { WebSocketTransport, type SocketLike } from '../../../renderer/src/api/ws-transport';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string, readonly protocols: string[]) {}
  send(data: string) { this.sent.push(JSON.parse(data)); }
  close() { this.readyState = 3; this.onclose?.({}); }
  open() { this.readyState = 1; this.onopen?.({}); }
  reply(msg: unknown) { this.onmessage?.({ data: JSON.stringify(msg) }); }
}

describe('WebSocket transport', () => {
  let sockets: FakeSocket[];
  let t: WebSocketTransport;
  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    t = new WebSocketTransport('ws://127.0.0.1:1/api/ws', 'TOKEN', (u, p) => { const s = new FakeSocket(u, p); sockets.push(s); return s; });
  });
  afterEach(() => { t.close(); vi.useRealTimers(); });

  it('offers the token as the subprotocol', () => {
    expect(sockets[0].protocols).toEqual(['memoryos.bearer.TOKEN']);
  });

  it('queues calls until open, then resolves results and rejects contract errors', async () => {
    const ok = t.call('vault.status', {});
    const bad = t.call('memory.get', { memory_id: 'x' });
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    const [a, b] = sockets[0].sent as { id: number }[];
    sockets[0].reply({ id: a.id, result: { exists: false } });
    sockets[0].reply({ id: b.id, error: { code: 'NOT_FOUND', message: 'memory not found', details: {} } });
    await expect(ok).resolves.toEqual({ exists: false });
    await expect(bad).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('routes versioned events to topic and * listeners, and resubscribes after a reconnect', async () => {
    const seen: string[] = [];
    t.subscribe('UNDO_APPLIED', (e) => seen.push('topic:' + e.topic));
    t.subscribe('*', (e) => seen.push('all:' + e.topic));
    sockets[0].open();
    expect(sockets[0].sent.map((m) => (m as { subscribe?: string }).subscribe)).toEqual(['UNDO_APPLIED', '*']);
    sockets[0].reply({ event: { topic: 'UNDO_APPLIED@1' } });
    sockets[0].reply({ event: { topic: 'HIPPO_ENCODE@1' } });
    expect(seen).toEqual(['topic:UNDO_APPLIED@1', 'all:UNDO_APPLIED@1', 'all:HIPPO_ENCODE@1']);

    const inFlight = t.call('vault.status', {});
    sockets[0].readyState = 3;
    sockets[0].onclose?.({});
    await expect(inFlight).rejects.toBeInstanceOf(ApiCallError);
    vi.advanceTimersByTime(300);
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    expect(sockets[1].sent.map((m) => (m as { subscribe?: string }).subscribe)).toEqual(['UNDO_APPLIED', '*']);
  });

  it('fails queued calls after three refused connections instead of waiting forever', async () => {
    const call = t.call('vault.status', {});
    for (let i = 0; i < 3; i++) {
      const s = sockets[sockets.length - 1];
      s.readyState = 3;
      s.onclose?.({});
      vi.advanceTimersByTime(10_000);
    }
    await expect(call).rejects.toMatchObject({ code: 'TRANSPORT' });
  });
});
