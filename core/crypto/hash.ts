import _sodium from 'libsodium-wrappers-sumo';

/** SHA-256 as lowercase hex (libsodium; initCrypto() must have run). */
export const sha256Hex = (data: string | Uint8Array): string => _sodium.to_hex(_sodium.crypto_hash_sha256(data));
