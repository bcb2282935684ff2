/** The part of sodium-native (N-API libsodium) the core uses: every output is a buffer the caller allocates. */
declare module 'sodium-native' {
  type Buf = Uint8Array;
  export const crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  export const crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
  export function crypto_aead_xchacha20poly1305_ietf_encrypt(c: Buf, m: Buf, ad: Buf | null, nsec: null, npub: Buf, k: Buf): number;
  export function crypto_aead_xchacha20poly1305_ietf_decrypt(m: Buf, nsec: null, c: Buf, ad: Buf | null, npub: Buf, k: Buf): number;
  export const crypto_sign_PUBLICKEYBYTES: number;
  export const crypto_sign_SECRETKEYBYTES: number;
  export const crypto_sign_BYTES: number;
  export function crypto_sign_keypair(pk: Buf, sk: Buf): void;
  export function crypto_sign_detached(sig: Buf, m: Buf, sk: Buf): void;
  export function crypto_sign_verify_detached(sig: Buf, m: Buf, pk: Buf): boolean;
  export const crypto_box_PUBLICKEYBYTES: number;
  export const crypto_box_SECRETKEYBYTES: number;
  export const crypto_box_SEALBYTES: number;
  export function crypto_box_keypair(pk: Buf, sk: Buf): void;
  export function crypto_box_seal(c: Buf, m: Buf, pk: Buf): void;
  export function crypto_box_seal_open(m: Buf, c: Buf, pk: Buf, sk: Buf): boolean;
  export const crypto_pwhash_SALTBYTES: number;
  export const crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
  export const crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
  export const crypto_pwhash_ALG_ARGON2ID13: number;
  export function crypto_pwhash(out: Buf, passwd: Buf, salt: Buf, opslimit: number, memlimit: number, alg: number): void;
  export function crypto_generichash(out: Buf, input: Buf, key?: Buf | null): void;
  export const crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  export const crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
  export const crypto_secretstream_xchacha20poly1305_ABYTES: number;
  export const crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
  export const crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;
  export function crypto_secretstream_xchacha20poly1305_init_push(state: Buf, header: Buf, k: Buf): void;
  export function crypto_secretstream_xchacha20poly1305_push(state: Buf, c: Buf, m: Buf, ad: Buf | null, tag: number): number;
  export function crypto_secretstream_xchacha20poly1305_init_pull(state: Buf, header: Buf, k: Buf): void;
  export function crypto_secretstream_xchacha20poly1305_pull(state: Buf, m: Buf, tag: Buf, c: Buf, ad: Buf | null): number;
}
