import Hyperswarm from 'hyperswarm';
import type NoiseSecretStream from '@hyperswarm/secret-stream';
import type { Swarm, TransportHost } from '../sync/ports';

/**
 * Hyperswarm: DHT discovery and hole punching; its connections are already Noise secret
 * streams keyed by this device's Ed25519 key, so the session protocol runs on them unchanged.
 * A space's topic is a hash of its id and its first epoch key: outsiders cannot find it.
 */
export class SwarmTransport implements Swarm {
  readonly swarm: Hyperswarm;
  private joined = new Set<string>();
  private timer: NodeJS.Timeout;

  constructor(private readonly node: TransportHost, opts: { dht?: unknown; bootstrap?: unknown } = {}) {
    this.swarm = new Hyperswarm({ keyPair: node.keyPair(), ...(opts.dht ? { dht: opts.dht } : {}), ...(opts.bootstrap ? { bootstrap: opts.bootstrap } : {}) });
    this.swarm.on('connection', (conn: NoiseSecretStream) => {
      const key = conn.remotePublicKey?.toString('base64') ?? '';
      const intent = node.intents.get(key);
      node.accept(conn, { transport: 'hyperswarm', intent });
    });
    // spaces appear (created here, learnt from a peer, joined): look for their peers too
    this.timer = setInterval(() => { if (node.unlocked()) this.joinSpaces().catch(() => {}); }, 1000);
    this.timer.unref();
  }

  async joinTopic(topic: Buffer, server: boolean): Promise<void> {
    const hex = topic.toString('hex');
    if (this.joined.has(hex)) return;
    this.joined.add(hex);
    const d = this.swarm.join(topic, { server, client: true });
    if (server) await d.flushed(); else await this.swarm.flush();
  }

  /** Announces and looks up every space this device belongs to. */
  async joinSpaces(): Promise<number> {
    let n = 0;
    for (const { topic } of this.node.spaceTopics()) {
      if (this.joined.has(topic.toString('hex'))) continue;
      await this.joinTopic(topic, true);
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.swarm.destroy();
  }
}
