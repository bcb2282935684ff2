import { query } from '../query';

/**
 * The epoch-key aggregate: `epoch_seals` (each epoch key sealed to each member's X25519 key, or to
 * one device's) and `epoch_chain` (an older epoch key encrypted under the next one, so history
 * stays readable). Each row names its origin: the device whose keyring entry started that key
 * (two guardians may start the same epoch at once). Local writes replace; what a peer sends is
 * added only where nothing is held yet.
 */
export interface EpochSealRow { member_id: string; origin: string; sealed: Buffer }
export interface EpochLinkRow { origin: string; nonce: Buffer; ciphertext: Buffer }

export const epochSealsTable = {
  put: query<[string, number, string, string, Uint8Array]>('INSERT OR REPLACE INTO epoch_seals (space_id, epoch, member_id, origin, sealed) VALUES (?, ?, ?, ?, ?)').run,
  addIfAbsent: query<[string, number, string, string, Uint8Array]>('INSERT OR IGNORE INTO epoch_seals (space_id, epoch, member_id, origin, sealed) VALUES (?, ?, ?, ?, ?)').run,
  /** every seal of an epoch, lowest origin first (epoch-keys.ts ranks the keys they open) */
  of: query<[string, number], EpochSealRow>('SELECT member_id, origin, sealed FROM epoch_seals WHERE space_id = ? AND epoch = ? ORDER BY origin, member_id').all,
  has: query<[string, number, string], { one: 1 }>('SELECT 1 AS one FROM epoch_seals WHERE space_id = ? AND epoch = ? AND member_id = ?').get,
  deleteSpace: query<[string]>('DELETE FROM epoch_seals WHERE space_id = ?').run,
};

export const epochChainTable = {
  put: query<[string, number, string, Uint8Array, Uint8Array]>('INSERT OR REPLACE INTO epoch_chain (space_id, epoch, origin, nonce, ciphertext) VALUES (?, ?, ?, ?, ?)').run,
  addIfAbsent: query<[string, number, string, Uint8Array, Uint8Array]>('INSERT OR IGNORE INTO epoch_chain (space_id, epoch, origin, nonce, ciphertext) VALUES (?, ?, ?, ?, ?)').run,
  links: query<[string, number], EpochLinkRow>('SELECT origin, nonce, ciphertext FROM epoch_chain WHERE space_id = ? AND epoch = ? ORDER BY origin').all,
  deleteSpace: query<[string]>('DELETE FROM epoch_chain WHERE space_id = ?').run,
};
