import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../app/app';
import type { TopicFilter } from '../events/topics';
import { createLogger } from '../observability/logger';
import { ApiError } from '../shared/errors';
import { parseParams } from '../shared/json-limits';
import { acquireLock, releaseLock } from './lock-file';
import { HTTP_STATUS } from './http-errors';
import { SECURITY_HEADERS, bearer, hostHeaderOk, originOk, tokenMatches } from './security';
import { serveStatic } from './static-files';

export interface HostOptions {
  port?: number; staticDir?: string | null; syncPort?: number | null;
  /** a request must arrive whole within this (a body sent a byte at a time is cut off); default 30 s */
  requestTimeoutMs?: number;
}

/** How long the headers may take, and how long a connection may sit idle between bytes. */
const HEADERS_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 15_000;
export interface Host { port: number; token: string; url: string; close(): Promise<void> }

const MAX_BODY = 8 * 1024 * 1024;
const WS_PROTOCOL_PREFIX = 'memoryos.bearer.';

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

function sendError(res: ServerResponse, e: ApiError): void {
  send(res, HTTP_STATUS[e.code] ?? 500, e.toJSON());
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new ApiError('INVALID_INPUT', 'request body too large', { max_bytes: MAX_BODY })); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** One call frame, as both the HTTP body and a WebSocket message carry it. */
function parseCall(text: string): { method: string; params: unknown; as?: string } {
  const body = parseParams(text, 'the body');
  const b = body as { method?: unknown; params?: unknown; as?: unknown };
  if (!b || typeof b !== 'object' || typeof b.method !== 'string') throw new ApiError('INVALID_INPUT', 'expected {"method": string, "params": object}');
  if (b.as !== undefined && typeof b.as !== 'string') throw new ApiError('INVALID_INPUT', '"as" must be a member id');
  return { method: b.method, params: b.params, as: b.as as string | undefined };
}

/**
 * The local host: HTTP + WebSocket on 127.0.0.1 only, a random bearer token per launch, the
 * host.lock that makes it the single writer of its data directory.
 */
export async function startHost(app: App, opts: HostOptions = {}): Promise<Host> {
  const token = randomBytes(32).toString('base64url');
  const dataDir = app.status().data_dir;
  const log = createLogger(dataDir);
  let port = 0;

  const authorised = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!hostHeaderOk(req, port)) { sendError(res, new ApiError('UNAUTHORIZED', 'wrong Host header')); return false; }
    if (!originOk(req, port)) { sendError(res, new ApiError('UNAUTHORIZED', 'foreign Origin refused')); return false; }
    if (!tokenMatches(bearer(req), token)) { sendError(res, new ApiError('UNAUTHORIZED', 'missing or wrong bearer token')); return false; }
    return true;
  };

  // the request timeouts below are enforced on this interval (Node checks every 30 s by default)
  const server = createServer({ connectionsCheckingInterval: 1000 }, async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/api/call') {
        if (req.method !== 'POST') { res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'POST' }).end(); return; }
        if (!authorised(req, res)) return;
        const call = parseCall(await readBody(req));
        const result = await app.call(call.method, call.params, { actor: call.as, door: 'host' });
        send(res, 200, { result });
        return;
      }
      if (url.pathname.startsWith('/api/')) { sendError(res, new ApiError('NOT_FOUND', 'no such endpoint')); return; }
      if (!hostHeaderOk(req, port)) { sendError(res, new ApiError('UNAUTHORIZED', 'wrong Host header')); return; }
      if (!serveStatic(opts.staticDir ?? null, url.pathname, req, res)) sendError(res, new ApiError('NOT_FOUND', 'not found'));
    } catch (e) {
      if (!res.headersSent) sendError(res, e instanceof ApiError ? e : new ApiError('INTERNAL', 'internal error'));
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BODY,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith(WS_PROTOCOL_PREFIX)) ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).find((p) => p.startsWith(WS_PROTOCOL_PREFIX));
    if (url.pathname !== '/api/ws' || !hostHeaderOk(req, port) || !originOk(req, port) || !tokenMatches(offered?.slice(WS_PROTOCOL_PREFIX.length), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  // A socket carries calls ({id, method, params, as}) and subscriptions ({id, subscribe: topic|"*"}).
  const onSocket = (ws: WebSocket) => {
    const unsubs: (() => void)[] = [];
    ws.on('message', async (data) => {
      let id: unknown = null;
      try {
        const msg = (parseParams(String(data), 'the message') ?? {}) as { id?: unknown; subscribe?: unknown; method?: unknown };
        id = msg.id ?? null;
        if (typeof msg.subscribe === 'string') {
          const topic = msg.subscribe;
          unsubs.push(app.subscribe(topic as TopicFilter, (env) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: env })); }));
          ws.send(JSON.stringify({ id, result: { subscribed: topic } }));
          return;
        }
        const call = parseCall(String(data));
        const result = await app.call(call.method, call.params, { actor: call.as, door: 'host' });
        ws.send(JSON.stringify({ id, result }));
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError('INVALID_INPUT', 'message is not a JSON call frame');
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...err.toJSON() }));
      }
    });
    ws.on('close', () => unsubs.forEach((u) => u()));
  };

  // slow clients hold a connection for as long as Node lets them (300 s by default): not here
  server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, opts.requestTimeoutMs ?? HEADERS_TIMEOUT_MS);
  server.requestTimeout = opts.requestTimeoutMs ?? 30_000;
  server.keepAliveTimeout = 5_000;
  server.setTimeout(IDLE_TIMEOUT_MS, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  try {
    acquireLock(dataDir, { pid: process.pid, port, token, started_at: new Date().toISOString(), sync_port: opts.syncPort ?? null });
  } catch (e) {
    server.close();
    throw e;
  }
  log.info('host listening', { port });
  return {
    port, token, url: `http://127.0.0.1:${port}/`,
    close: async () => {
      releaseLock(dataDir);
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
