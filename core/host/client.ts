import { request } from 'node:http';
import { ApiError, type ErrorCode } from '../shared/errors';
import type { HostLock } from './lock-file';

/** A CLI call on a data directory whose host is running goes through that host. */
export function callHost(lock: HostLock, method: string, params: unknown, as?: string): Promise<unknown> {
  const body = JSON.stringify({ method, params, ...(as ? { as } : {}) });
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: lock.port, path: '/api/call', method: 'POST',
      headers: { Authorization: `Bearer ${lock.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: unknown; error?: { code: ErrorCode; message: string; details: unknown } };
          if (json.error) reject(new ApiError(json.error.code, json.error.message, json.error.details));
          else resolve(json.result);
        } catch {
          reject(new ApiError('INTERNAL', `the host answered HTTP ${res.statusCode} without JSON`));
        }
      });
    });
    req.on('error', (e) => reject(new ApiError('BUSY', `the host on port ${lock.port} did not answer: ${e.message}`, { refused: (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' })));
    req.end(body);
  });
}

/**
 * Events from a running host over its WebSocket (the same door the renderer uses). Resolves once
 * the subscription is acknowledged; the returned close ends it.
 */
export async function subscribeHost(lock: HostLock, topic: string, fn: (envelope: unknown) => void): Promise<() => void> {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://127.0.0.1:${lock.port}/api/ws`, [`memoryos.bearer.${lock.token}`]);
  await new Promise<void>((resolve, reject) => {
    ws.once('error', (e) => reject(new ApiError('BUSY', `the host on port ${lock.port} did not answer: ${e.message}`)));
    ws.once('open', () => { ws.send(JSON.stringify({ id: 1, subscribe: topic })); });
    ws.on('message', (data) => {
      let msg: { id?: unknown; result?: unknown; event?: unknown };
      try { msg = JSON.parse(String(data)); } catch { return; }
      if (msg.event) fn(msg.event);
      else if (msg.id === 1) resolve();
    });
  });
  return () => ws.close();
}
