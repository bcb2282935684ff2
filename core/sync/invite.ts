import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../contracts/types';
import { invalid } from '../shared/errors';

/** What an invite carries: where to find the offering device, its key, a one-time secret, expiry. */
export interface Invite {
  v: 1; kind: 'pair' | 'space'; id: string; secret: string; device_id: string; device_key: string;
  hints: string[]; exp: number; space_id?: string; role?: Role;
}

export const encodeInvite = (i: Invite): string => 'mos1.' + Buffer.from(JSON.stringify(i), 'utf8').toString('base64url');

export function decodeInvite(text: string, kind: Invite['kind'], now: number): Invite {
  let i: Invite;
  try {
    if (!text.startsWith('mos1.')) throw new Error('prefix');
    i = JSON.parse(Buffer.from(text.slice(5), 'base64url').toString('utf8')) as Invite;
  } catch { throw invalid('the invite is malformed', { field: 'invite' }); }
  if (i.v !== 1 || i.kind !== kind || typeof i.secret !== 'string' || typeof i.device_key !== 'string' || !Array.isArray(i.hints)) {
    throw invalid(kind === 'pair' ? 'that is not a device pairing invite' : 'that is not a space invite', { field: 'invite' });
  }
  if (!(i.exp > now)) throw invalid('the invite has expired', { field: 'invite' });
  return i;
}

/** Proof of the one-time secret bound to this Noise handshake: useless on any other connection. */
export const secretProof = (secret: string, handshakeHash: Buffer): string =>
  createHmac('sha256', Buffer.from(secret, 'base64url')).update(handshakeHash).digest('base64');

export function proofOk(secret: string, handshakeHash: Buffer, proof: unknown): boolean {
  if (typeof proof !== 'string') return false;
  const want = Buffer.from(secretProof(secret, handshakeHash), 'base64');
  const got = Buffer.from(proof, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * The short authentication string both screens show: six digits from the Noise handshake hash
 * of the pairing connection. Noise XX mixes both devices' static keys into that hash, so the two
 * ends of one connection compute the same code, and a relay that terminates two connections —
 * even one holding the invite — shows each side a different one.
 */
export function pairingCode(handshakeHash: Buffer): string {
  const h = createHash('sha256').update('memoryos-pair-sas|v1|').update(handshakeHash).digest();
  const s = String(h.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  return `${s.slice(0, 3)} ${s.slice(3)}`;
}

/** A Hyperswarm topic outsiders cannot guess: a hash of a secret and what it is for. */
export const topicFor = (purpose: string, id: string, secret: Uint8Array | string): Buffer =>
  createHash('sha256').update(`memoryos-topic|${purpose}|${id}|`).update(typeof secret === 'string' ? Buffer.from(secret, 'base64url') : secret).digest();
