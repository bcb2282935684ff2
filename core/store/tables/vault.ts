import { query } from '../query';

/**
 * The one vault row: who this device is. (Its wrap columns held the wrapped vault master key in
 * plaintext databases of earlier releases; that now lives in the vault header, vault.header, and
 * a new vault leaves them empty. The unlock backoff moved there too.)
 */
export interface VaultRow {
  kdf_salt: Buffer; kdf_ops: number; kdf_mem: number; pass_nonce: Buffer; pass_ct: Buffer;
  rec_nonce: Buffer; rec_ct: Buffer; device_id: string; member_id: string; created_at: number;
  /** failed unlock attempts in a row, and when the next one may be tried (unlock backoff) */
  failed_unlocks: number; unlock_not_before: number | null;
}

export const vaultTable = {
  get: query<[], VaultRow>('SELECT * FROM vault WHERE id = 1').get,
  insert: query<[Buffer | Uint8Array, number, number, Uint8Array, Uint8Array, Uint8Array, Uint8Array, string, string, number]>(
    `INSERT INTO vault (id, kdf_salt, kdf_ops, kdf_mem, pass_nonce, pass_ct, rec_nonce, rec_ct, device_id, member_id, created_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run,
  /** the device adopted its person's member identity (device linking) */
  setMember: query<[string]>('UPDATE vault SET member_id = ? WHERE id = 1').run,
};
