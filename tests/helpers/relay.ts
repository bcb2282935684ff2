import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between devices: forwards bytes, records them (to look for plaintext), and can
 * partition (cut every connection and refuse new ones) and heal.
 */
export class Relay {
  private server: Server | null = null;
  private pairs = new Set<Socket>();
  partitioned = false;
  readonly captured: Buffer[] = [];
  port = 0;
  constructor(private readonly target: { host: string; port: number }, private readonly capture = false) {}

  async start(): Promise<string> {
    this.server = createServer((inbound) => {
      if (this.partitioned) { inbound.destroy(); return; }
      const outbound = connect(this.target);
      for (const s of [inbound, outbound]) { this.pairs.add(s); s.on('close', () => this.pairs.delete(s)); s.on('error', () => {}); }
      inbound.on('data', (d: Buffer) => { if (this.capture) this.captured.push(Buffer.from(d)); outbound.write(d); });
      outbound.on('data', (d: Buffer) => { if (this.capture) this.captured.push(Buffer.from(d)); inbound.write(d); });
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server!.address() as { port: number }).port;
    return `127.0.0.1:${this.port}`;
  }

  partition(): void { this.partitioned = true; for (const s of this.pairs) s.destroy(); }
  heal(): void { this.partitioned = false; }
  bytes(): Buffer { return Buffer.concat(this.captured); }
  async stop(): Promise<void> { this.partition(); await new Promise<void>((r) => this.server?.close(() => r())); }
}
