import { query } from '../query';

/**
 * The epoch-key aggregate: `epoch_seals` (each epoch key sealed to each member's X25519 key) and
 * `epoch_chain` (an older epoch key encrypted under the next one, so history stays readable).
 * Local writes replace; what a peer sends is added only where nothing is held yet.
 */
export interface EpochSealRow { member_id: string; sealed: Buffer }
export interface EpochLinkRow { nonce: Buffer; ciphertext: Buffer }

export const epochSealsTable = {
  put: query<[string, number, string, Uint8Array]>('INSERT OR REPLACE INTO epoch_seals (space_id, epoch, member_id, sealed) VALUES (?, ?, ?, ?)').run,
  addIfAbsent: query<[string, number, string, Uint8Array]>('INSERT OR IGNORE INTO epoch_seals (space_id, epoch, member_id, sealed) VALUES (?, ?, ?, ?)').run,
  of: query<[string, number], EpochSealRow>('SELECT member_id, sealed FROM epoch_seals WHERE space_id = ? AND epoch = ? ORDER BY member_id').all,
  has: query<[string, number, string], { one: 1 }>('SELECT 1 AS one FROM epoch_seals WHERE space_id = ? AND epoch = ? AND member_id = ?').get,
  deleteSpace: query<[string]>('DELETE FROM epoch_seals WHERE space_id = ?').run,
};

export const epochChainTable = {
  put: query<[string, number, Uint8Array, Uint8Array]>('INSERT OR REPLACE INTO epoch_chain (space_id, epoch, nonce, ciphertext) VALUES (?, ?, ?, ?)').run,
  addIfAbsent: query<[string, number, Uint8Array, Uint8Array]>('INSERT OR IGNORE INTO epoch_chain (space_id, epoch, nonce, ciphertext) VALUES (?, ?, ?, ?)').run,
  link: query<[string, number], EpochLinkRow>('SELECT nonce, ciphertext FROM epoch_chain WHERE space_id = ? AND epoch = ?').get,
  deleteSpace: query<[string]>('DELETE FROM epoch_chain WHERE space_id = ?').run,
};
