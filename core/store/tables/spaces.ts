import type { Role, SpaceKind } from '../../../contracts/types';
import { query } from '../query';

/**
 * The spaces aggregate: `spaces` (kind, epoch, sealed name) and `space_members` (who holds which
 * role). One owner for both, so the two conflict rules of membership are written once: putRole
 * (the authoritative role: from the signed space document or an administrator) and addIfAbsent
 * (a roster from a trusted peer, which must not override a role the log already settled).
 */
export interface SpaceRow { space_id: string; kind: SpaceKind; epoch: number; name_nonce: Buffer; name_ct: Buffer; created_by: string; created_at: number }
export interface SpaceMemberRow { space_id: string; member_id: string; role: Role; added_at: number }

export const spacesTable = {
  insert: query<[string, SpaceKind, number, Uint8Array, Uint8Array, string, number]>(
    'INSERT INTO spaces (space_id, kind, epoch, name_nonce, name_ct, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run,
  find: query<[string], SpaceRow>('SELECT * FROM spaces WHERE space_id = ?').get,
  setName: query<[Uint8Array, Uint8Array, string]>('UPDATE spaces SET name_nonce = ?, name_ct = ? WHERE space_id = ?').run,
  setEpoch: query<[number, string]>('UPDATE spaces SET epoch = ? WHERE space_id = ?').run,
  /** epochs only move forward */
  raiseEpoch: query<[number, string]>('UPDATE spaces SET epoch = MAX(epoch, ?) WHERE space_id = ?').run,
  delete: query<[string]>('DELETE FROM spaces WHERE space_id = ?').run,
  /** the spaces a member belongs to, with their role there, oldest first */
  ofMember: query<[string], SpaceRow & { role: Role }>(
    'SELECT s.*, m.role FROM spaces s JOIN space_members m ON m.space_id = s.space_id AND m.member_id = ? ORDER BY s.created_at').all,
};

export const spaceMembersTable = {
  roleOf: query<[string, string], { role: Role }>('SELECT role FROM space_members WHERE space_id = ? AND member_id = ?').get,
  /** members of a space in the order they were added */
  list: query<[string], SpaceMemberRow>('SELECT * FROM space_members WHERE space_id = ? ORDER BY added_at, member_id').all,
  /** a member's memberships, by space id */
  ofMember: query<[string], SpaceMemberRow>('SELECT * FROM space_members WHERE member_id = ? ORDER BY space_id').all,
  /** spaces two members are both in */
  shared: query<[string, string], { space_id: string }>(
    'SELECT a.space_id FROM space_members a JOIN space_members b ON a.space_id = b.space_id WHERE a.member_id = ? AND b.member_id = ? ORDER BY a.space_id').all,
  putRole: query<[string, string, Role, number]>(
    'INSERT INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?) ON CONFLICT(space_id, member_id) DO UPDATE SET role = excluded.role').run,
  addIfAbsent: query<[string, string, Role, number]>('INSERT OR IGNORE INTO space_members (space_id, member_id, role, added_at) VALUES (?, ?, ?, ?)').run,
  remove: query<[string, string]>('DELETE FROM space_members WHERE space_id = ? AND member_id = ?').run,
  deleteSpace: query<[string]>('DELETE FROM space_members WHERE space_id = ?').run,
};
