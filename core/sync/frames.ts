import type { SyncFrame, SyncFrameEntry } from '../../contracts/types';
import { SCHEMA_BASE, schemas } from '../schemas/validator';

/**
 * The session protocol: one JSON object per Noise message (secret-stream keeps message
 * boundaries), each valid against contracts/sync/frame.schema.json. Every frame is inside the
 * Noise channel; entries are also end-to-end ciphertext.
 */
export type Frame = SyncFrame;
export type FrameOf<T extends Frame['t']> = Extract<Frame, { t: T }>;
export type EntryJson = SyncFrameEntry;

export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

let validateFrame: ((v: unknown) => boolean) | undefined;
let validateEntry: ((v: unknown) => boolean) | undefined;

export function encodeFrame(f: Frame): Buffer {
  return Buffer.from(JSON.stringify(f), 'utf8');
}

/** A frame from the wire, or null when it is not JSON or breaks the frame schema. */
export function decodeFrame(buf: Buffer): Frame | null {
  if (buf.length === 0 || buf.length > MAX_FRAME_BYTES) return null;
  let f: unknown;
  try { f = JSON.parse(buf.toString('utf8')); } catch { return null; }
  validateFrame ??= schemas().getSchema(SCHEMA_BASE + 'sync/frame.schema.json')!;
  return validateFrame(f) ? (f as Frame) : null;
}

/** One entry of an `entries` frame: checked on its own, so one bad entry is refused alone. */
export function isEntry(e: unknown): e is EntryJson {
  validateEntry ??= schemas().getSchema(SCHEMA_BASE + 'sync/frame.schema.json#/$defs/Entry')!;
  return validateEntry(e);
}
