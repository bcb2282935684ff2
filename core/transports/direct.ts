import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import NoiseSecretStream from '@hyperswarm/secret-stream';
import { ApiError } from '../shared/errors';
import type { Listener, TransportHost } from '../sync/ports';
import type { Intent, Session } from '../sync/session';

/** The direct transport: Noise (secret-stream, XX, device keys) over TCP, on loopback or the LAN. */
export class DirectListener implements Listener {
  private server: Server | null = null;
  port = 0;
  private sockets = new Set<Socket>();

  constructor(private readonly node: TransportHost, readonly host: string) {}

  async listen(port = 0): Promise<number> {
    const server = createServer((sock) => {
      this.track(sock);
      if (!this.node.unlocked()) { sock.destroy(); return; } // locked: no device key, no sessions
      const stream = new NoiseSecretStream(false, sock, { keyPair: this.node.keyPair() });
      this.node.accept(stream, { transport: 'direct', address: `${sock.remoteAddress}:${sock.remotePort}` });
    });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, this.host, () => resolve()); });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  private track(sock: Socket): void {
    sock.setNoDelay(true);
    this.sockets.add(sock);
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => { /* reported through the Noise stream */ });
  }

  /** Connects to host:port; resolves once the Noise handshake completed. */
  connect(address: string, intent?: Intent): Promise<Session> {
    const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address.trim());
    if (!m) return Promise.reject(new ApiError('INVALID_INPUT', 'address must be host:port', { field: 'address' }));
    return new Promise((resolve, reject) => {
      const sock = tcpConnect({ host: m[1], port: Number(m[2]) });
      this.track(sock);
      const timer = setTimeout(() => { sock.destroy(); reject(new ApiError('BUSY', `no answer from ${address}`)); }, 10_000);
      sock.once('error', (e) => { clearTimeout(timer); reject(new ApiError('BUSY', `cannot reach ${address}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`)); });
      sock.once('connect', () => {
        const stream = new NoiseSecretStream(true, sock, { keyPair: this.node.keyPair() });
        const s = this.node.accept(stream, { transport: 'direct', address, intent });
        stream.opened.then((ok) => { clearTimeout(timer); if (ok) resolve(s); else reject(new ApiError('UNAUTHORIZED', 'the Noise handshake failed')); }, (e) => { clearTimeout(timer); reject(e); });
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }
}
