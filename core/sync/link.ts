import type NoiseSecretStream from '@hyperswarm/secret-stream';
import { encodeFrame, type Frame } from './frames';

/**
 * Where a session's frames go out and come in: the Noise stream, one frame per message. A
 * session holds the plain link; a test may pass a wrapper (SyncOptions.wrapLink) that drops,
 * duplicates, reorders, rewrites or records frames — nothing of that is on the production path.
 */
export interface FrameLink {
  /** sends one frame; false when the stream asks the sender to wait for 'drain' */
  send(frame: Frame): boolean;
  /** what arrived, before it is decoded (a wrapper may record it); returns the bytes to decode */
  received(buf: Buffer): Buffer;
  /** drops anything a wrapper still holds (the session closed) */
  close(): void;
}

export type LinkWrapper = (inner: FrameLink) => FrameLink;

export function plainLink(stream: NoiseSecretStream): FrameLink {
  return {
    send: (f) => stream.write(encodeFrame(f)),
    received: (buf) => buf,
    close: () => {},
  };
}
