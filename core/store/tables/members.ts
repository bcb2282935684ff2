import { query } from '../query';

/** A person this vault knows: public keys, the name sealed under the vault's metadata key, local = keys held here. */
export interface MemberRow { member_id: string; ed25519_pub: Buffer; x25519_pub: Buffer; name_nonce: Buffer; name_ct: Buffer; local: number; created_at: number;
  /** Argon2id of the profile's PIN (JSON), null: no PIN */
  pin_hash: string | null; pin_failed: number; pin_not_before: number | null }

export const membersTable = {
  insert: query<[string, Uint8Array, Uint8Array, Uint8Array, Uint8Array, number, number]>(
    'INSERT INTO members (member_id, ed25519_pub, x25519_pub, name_nonce, name_ct, local, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run,
  find: query<[string], MemberRow>('SELECT * FROM members WHERE member_id = ?').get,
  list: query<[], MemberRow>('SELECT * FROM members ORDER BY created_at').all,
  listLocal: query<[], MemberRow>('SELECT * FROM members WHERE local = 1 ORDER BY created_at').all,
  setPublicKeys: query<[Uint8Array, Uint8Array, string]>('UPDATE members SET ed25519_pub = ?, x25519_pub = ? WHERE member_id = ?').run,
  setPin: query<[string | null, string]>('UPDATE members SET pin_hash = ?, pin_failed = 0, pin_not_before = NULL WHERE member_id = ?').run,
  setPinBackoff: query<[number, number | null, string]>('UPDATE members SET pin_failed = ?, pin_not_before = ? WHERE member_id = ?').run,
  delete: query<[string]>('DELETE FROM members WHERE member_id = ?').run,
};
