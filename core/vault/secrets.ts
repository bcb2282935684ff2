import type { Db } from '../store/database';
import { secretsTable } from '../store/tables/secrets';
import { aeadDecrypt, aeadEncrypt } from '../crypto/sodium';

/** Private keys at rest, each wrapped by the vault master key and bound to its key id. */
export function putSecret(db: Db, vmk: Uint8Array, keyId: string, secret: Uint8Array): void {
  const { nonce, ciphertext } = aeadEncrypt(secret, 'secret|' + keyId, vmk);
  secretsTable.put(db, keyId, nonce, ciphertext);
}

export function getSecret(db: Db, vmk: Uint8Array, keyId: string): Uint8Array {
  const row = secretsTable.get(db, keyId);
  if (!row) throw new Error('missing secret ' + keyId);
  const plain = aeadDecrypt({ nonce: row.nonce, ciphertext: row.ciphertext }, 'secret|' + keyId, vmk);
  if (!plain) throw new Error('secret failed authentication: ' + keyId);
  return plain;
}
