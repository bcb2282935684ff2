import type { Role } from '../../../contracts/types';
import { query } from '../query';

export type InviteKind = 'pair' | 'space';

/** A pairing or space invite this device made: single use, expiring, revocable; its secret sealed. */
export interface InviteRow {
  invite_id: string; kind: InviteKind; secret_nonce: Buffer; secret_ct: Buffer; space_id: string | null; role: Role | null;
  hints: string; created_by: string; created_at: number; expires_at: number; used_at: number | null; used_by: string | null; revoked_at: number | null;
}

/** used once: `changes` is 1 only for the call that took it */
const use = query<[number, string, string]>('UPDATE invites SET used_at = ?, used_by = ? WHERE invite_id = ? AND used_at IS NULL AND revoked_at IS NULL');

export const invitesTable = {
  insert: query<[string, InviteKind, Uint8Array, Uint8Array, string | null, Role | null, string, string, number, number]>(
    'INSERT INTO invites (invite_id, kind, secret_nonce, secret_ct, space_id, role, hints, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run,
  find: query<[string], InviteRow>('SELECT * FROM invites WHERE invite_id = ?').get,
  list: query<[], InviteRow>('SELECT * FROM invites ORDER BY created_at DESC').all,
  /** invites still open at `now`: what a restarted host announces again */
  open: query<[number], InviteRow>('SELECT * FROM invites WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at').all,
  take: (db: Parameters<typeof use.run>[0], id: string, by: string, at: number): boolean => use.run(db, at, by, id).changes === 1,
  revoke: query<[number, string]>('UPDATE invites SET revoked_at = ? WHERE invite_id = ? AND used_at IS NULL AND revoked_at IS NULL').run,
};
