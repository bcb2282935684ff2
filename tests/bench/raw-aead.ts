import sn from 'sodium-native';

/**
 * The baseline's encryption: XChaCha20-Poly1305 straight from sodium-native, the binding the core
 * uses, so a ratio measures MemoryOS's work and not a faster or slower libsodium build.
 */
export function rawEncrypt(plain: Uint8Array, ad: string, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const c = new Uint8Array(plain.length + sn.crypto_aead_xchacha20poly1305_ietf_ABYTES);
  sn.crypto_aead_xchacha20poly1305_ietf_encrypt(c, plain, Buffer.from(ad), null, nonce, key);
  return c;
}

export function rawDecrypt(ct: Uint8Array, ad: string, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const m = new Uint8Array(ct.length - sn.crypto_aead_xchacha20poly1305_ietf_ABYTES);
  sn.crypto_aead_xchacha20poly1305_ietf_decrypt(m, null, ct, Buffer.from(ad), nonce, key);
  return m;
}
