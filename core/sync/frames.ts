import type { Role, SpaceKind } from '../../contracts/types';
import type { DeviceInfo } from './device-cert';
import type { EntryJson } from './receive';

/** A space as one device describes it to another it trusts (own devices, a newly joined member). */
export interface Roster {
  space_id: string; kind: SpaceKind; epoch: number; name: string; created_by: string;
  members: { member_id: string; role: Role; name: string; ed25519: string; x25519: string }[];
  devices: DeviceInfo[];
}

export interface MemberPublic { member_id: string; name: string; ed25519: string; x25519: string }

/**
 * The session protocol: one JSON object per Noise message (secret-stream keeps message
 * boundaries). Every frame is inside the Noise channel; entries are also end-to-end ciphertext.
 */
export type Frame =
  | { t: 'hello'; v: 1; device_id: string; member_id: string; spaces: Record<string, Record<string, number>>; roster?: Roster[]; addresses?: string[] }
  | { t: 'entries'; space: string; batch: number; entries: EntryJson[] }
  | { t: 'ack'; space: string; batch: number; vector: Record<string, number>; refused: number }
  | { t: 'pair'; invite_id: string; proof: string; device: DeviceInfo }
  | { t: 'pair_ok'; device: DeviceInfo; member_id: string }
  | { t: 'keys'; member: MemberPublic & { sign_sealed: string; box_sealed: string } }
  | { t: 'join'; invite_id: string; proof: string; member: MemberPublic; device: DeviceInfo }
  | { t: 'join_ok'; roster: Roster; role: Role }
  | { t: 'error'; code: string; message: string };

export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export function encodeFrame(f: Frame): Buffer {
  return Buffer.from(JSON.stringify(f), 'utf8');
}

export function decodeFrame(buf: Buffer): Frame | null {
  if (buf.length === 0 || buf.length > MAX_FRAME_BYTES) return null;
  try {
    const f = JSON.parse(buf.toString('utf8')) as Frame;
    return f && typeof f === 'object' && typeof (f as { t?: unknown }).t === 'string' ? f : null;
  } catch { return null; }
}

/** Faults a test relay injects on a session's outgoing frames: drops, duplicates, reordering. */
export interface FaultPlan { drop: number; duplicate: number; reorder: number; seed: number }
