import { query } from '../query';

/** Private keys and device-local keys, each AEAD-wrapped by the vault master key. */
export interface SecretRow { key_id: string; nonce: Buffer; ciphertext: Buffer }

const put = query<[string, Uint8Array, Uint8Array]>('INSERT OR REPLACE INTO secrets (key_id, nonce, ciphertext) VALUES (?, ?, ?)');
const get = query<[string], SecretRow>('SELECT key_id, nonce, ciphertext FROM secrets WHERE key_id = ?');
const idsLike = query<[string], { key_id: string }>("SELECT key_id FROM secrets WHERE key_id LIKE ? ESCAPE '\\' ORDER BY key_id");
const deleteLike = query<[string]>("DELETE FROM secrets WHERE key_id LIKE ? ESCAPE '\\'");

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

export const secretsTable = {
  put: put.run,
  get: get.get,
  /** key ids that start with prefix, in order */
  idsWithPrefix: (db: Parameters<typeof idsLike.all>[0], prefix: string): string[] => idsLike.all(db, escapeLike(prefix) + '%').map((r) => r.key_id),
  deleteWithPrefix: (db: Parameters<typeof deleteLike.run>[0], prefix: string): void => { deleteLike.run(db, escapeLike(prefix) + '%'); },
};
