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

/**
 * A login session. The host's own token (host.lock, the printed login link) opens an unbound
 * session: it acts as the vault owner, or as the `as` a call names (the CLI's --as). A switch
 * to a profile (session.switchProfile) mints a session token bound to that profile: every call
 * with it acts as that profile, and the policy refuses an `as` naming anyone else. The token the
 * switch was made with stops working (the launch token stays: it is the host's own credential).
 */
interface HostSession { member_id: string | null; token: string; revoked: boolean }
const SESSION_PREFIX = 's.';
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

  const launch: HostSession = { member_id: null, token, revoked: false };
  const sessions = new Map<string, HostSession>();
  /** the session a presented token opens, or null */
  const sessionOf = (presented: string | undefined): HostSession | null => {
    if (!presented) return null;
    if (tokenMatches(presented, token)) return launch;
    if (!presented.startsWith(SESSION_PREFIX)) return null;
    const s = sessions.get(presented);
    return s && !s.revoked && tokenMatches(presented, s.token) ? s : null;
  };
  /** what the router sees of a session; `holder` is rebound on a switch (a WebSocket keeps its session) */
  const portFor = (holder: { session: HostSession }) => ({
    get member_id() { return holder.session.member_id; },
    switchTo(memberId: string): string {
      const old = holder.session;
      if (old !== launch) { old.revoked = true; sessions.delete(old.token); }
      const next: HostSession = { member_id: memberId, token: SESSION_PREFIX + randomBytes(32).toString('base64url'), revoked: false };
      sessions.set(next.token, next);
      holder.session = next;
      return next.token;
    },
  });
  const live = (holder: { session: HostSession }): void => {
    if (holder.session.revoked) throw new ApiError('UNAUTHORIZED', 'this session switched to another profile: use its new session token');
  };

  const authorised = (req: IncomingMessage, res: ServerResponse): HostSession | null => {
    if (!hostHeaderOk(req, port)) { sendError(res, new ApiError('UNAUTHORIZED', 'wrong Host header')); return null; }
    if (!originOk(req, port)) { sendError(res, new ApiError('UNAUTHORIZED', 'foreign Origin refused')); return null; }
    const s = sessionOf(bearer(req));
    if (!s) { sendError(res, new ApiError('UNAUTHORIZED', 'missing or wrong bearer token')); return null; }
    return s;
  };

  // the request timeouts below are enforced on this interval (Node checks every 30 s by default)
  const server = createServer({ connectionsCheckingInterval: 1000 }, async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/api/call') {
        if (req.method !== 'POST') { res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'POST' }).end(); return; }
        const session = authorised(req, res);
        if (!session) return;
        const call = parseCall(await readBody(req));
        const holder = { session };
        const result = await app.call(call.method, call.params, { actor: call.as, door: 'host', session: portFor(holder) });
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
    const session = url.pathname === '/api/ws' && hostHeaderOk(req, port) && originOk(req, port) ? sessionOf(offered?.slice(WS_PROTOCOL_PREFIX.length)) : null;
    if (!session) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, session));
  });

  // A socket carries calls ({id, method, params, as}) and subscriptions ({id, subscribe: topic|"*"}).
  // The socket keeps its session: a switch on it rebinds it, and the answer carries the token to reconnect with.
  const onSocket = (ws: WebSocket, session: HostSession) => {
    const unsubs: (() => void)[] = [];
    const holder = { session };
    const sessionPort = portFor(holder);
    ws.on('message', async (data) => {
      let id: unknown = null;
      try {
        const msg = (parseParams(String(data), 'the message') ?? {}) as { id?: unknown; subscribe?: unknown; method?: unknown };
        id = msg.id ?? null;
        if (typeof msg.subscribe === 'string') {
          const topic = msg.subscribe;
          unsubs.push(app.subscribe(topic as TopicFilter, (env) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: env })); }, { viewer: () => holder.session.member_id }));
          ws.send(JSON.stringify({ id, result: { subscribed: topic } }));
          return;
        }
        live(holder);
        const call = parseCall(String(data));
        const result = await app.call(call.method, call.params, { actor: call.as, door: 'host', session: sessionPort });
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
