// The Holepunch modules ship no TypeScript types: the narrow surface this code uses.
declare module '@hyperswarm/secret-stream' {
  import type { Duplex } from 'node:stream';
  class NoiseSecretStream extends Duplex {
    constructor(isInitiator: boolean, rawStream?: unknown, opts?: { keyPair?: { publicKey: Buffer; secretKey: Buffer }; remotePublicKey?: Buffer });
    readonly isInitiator: boolean;
    readonly publicKey: Buffer | null;
    readonly remotePublicKey: Buffer | null;
    readonly handshakeHash: Buffer | null;
    readonly rawStream: Duplex;
    readonly rawBytesWritten: number;
    readonly rawBytesRead: number;
    opened: Promise<boolean>;
    setKeepAlive(ms: number): void;
  }
  export = NoiseSecretStream;
}
declare module 'hyperswarm' {
  import { EventEmitter } from 'node:events';
  interface Discovery { flushed(): Promise<void>; destroy(): Promise<void> }
  class Hyperswarm extends EventEmitter {
    constructor(opts?: { keyPair?: { publicKey: Buffer; secretKey: Buffer }; dht?: unknown; bootstrap?: unknown });
    join(topic: Buffer, opts?: { server?: boolean; client?: boolean }): Discovery;
    leave(topic: Buffer): Promise<void>;
    flush(): Promise<void>;
    destroy(): Promise<void>;
    readonly connections: Set<unknown>;
  }
  export = Hyperswarm;
}
declare module 'hyperdht/testnet' {
  interface Testnet { nodes: unknown[]; bootstrap: { host: string; port: number }[]; createNode(opts?: object): { destroy(): Promise<void> }; destroy(): Promise<void> }
  function createTestnet(size?: number, opts?: object): Promise<Testnet>;
  export = createTestnet;
}
