import type NoiseSecretStream from '@hyperswarm/secret-stream';
import type { Intent, Session, SessionOptions } from './session';

/**
 * What a transport needs from the sync node (the node implements it). Transports carry Noise
 * streams; everything a stream does after its handshake is the node's and its sessions'.
 */
export interface TransportHost {
  /** sessions need the device key: a locked vault refuses connections */
  unlocked(): boolean;
  keyPair(): { publicKey: Buffer; secretKey: Buffer };
  accept(stream: NoiseSecretStream, opts: SessionOptions): Session;
  /** swarm connections expected for a pairing or a join, by the remote device key (base64) */
  readonly intents: Map<string, Intent>;
  /** the swarm topic of every space this device is in: a hash of its id and its first epoch key */
  spaceTopics(): { space_id: string; topic: Buffer }[];
}

/** A direct listener (TCP): where it listens and how to dial out. */
export interface Listener {
  readonly port: number;
  readonly host: string;
  connect(address: string, intent?: Intent): Promise<Session>;
  close(): Promise<void>;
}

/** The Hyperswarm transport as the node uses it. */
export interface Swarm {
  joinTopic(topic: Buffer, server: boolean): Promise<void>;
  joinSpaces(): Promise<number>;
  close(): Promise<void>;
}
