import { aeadEncrypt, type Sealed } from '../crypto/sodium';
import { sha256Hex } from '../crypto/hash';

// How a log entry's body is sealed, apart from the log: pure (a key in, ciphertext out), so a bulk
// import's second thread seals its entries (core/memories/fresh-updates.ts) as appendUpdate does.

/** The associated data of an entry's ciphertext: its space, document and key id. */
export const entryAd = (space: string, doc: string, keyId: string): string => `entry|${space}|${doc}|${keyId}`;

/** An entry's body sealed, with the SHA-256 (hex) of its ciphertext that its signature covers. */
export interface SealedEntry extends Sealed { ciphertext_sha256: string }

export function sealEntry(space: string, doc: string, keyId: string, key: Uint8Array, update: Uint8Array): SealedEntry {
  const sealed = aeadEncrypt(update, entryAd(space, doc, keyId), key);
  return { ...sealed, ciphertext_sha256: sha256Hex(sealed.ciphertext) };
}
