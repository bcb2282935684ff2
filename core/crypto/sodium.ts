import _sodium from 'libsodium-wrappers-sumo';
import { randomBytesPooled } from './random';

/**
 * The one crypto provider: libsodium (sumo build, for Argon2id). Nonces and random keys come
 * from Node's CSPRNG; libsodium's randombytes_buf is too slow for per-message use.
 */
let sodium: typeof _sodium | undefined;

export async function initCrypto(): Promise<void> {
  if (sodium) return;
  await _sodium.ready;
  sodium = _sodium;
}

function s(): typeof _sodium {
  if (!sodium) throw new Error('crypto not initialised: await initCrypto() first');
  return sodium;
}

export const random = (n: number): Uint8Array => randomBytesPooled(n);
export const newKey = (): Uint8Array => random(32);

export interface Sealed { nonce: Uint8Array; ciphertext: Uint8Array }

/** XChaCha20-Poly1305-IETF with associated data that binds the ciphertext to its record. */
export function aeadEncrypt(plain: Uint8Array, ad: string, key: Uint8Array): Sealed {
  const nonce = random(24);
  const ciphertext = s().crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, null, nonce, key);
  return { nonce, ciphertext };
}

/** Returns null on any authentication failure (wrong key, wrong AD, flipped byte). */
export function aeadDecrypt(sealed: Sealed, ad: string, key: Uint8Array): Uint8Array | null {
  try {
    return s().crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.ciphertext, ad, sealed.nonce, key);
  } catch {
    return null;
  }
}

export interface SignKeyPair { publicKey: Uint8Array; privateKey: Uint8Array }
export interface BoxKeyPair { publicKey: Uint8Array; privateKey: Uint8Array }

export const signKeyPair = (): SignKeyPair => {
  const kp = s().crypto_sign_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
};
export const boxKeyPair = (): BoxKeyPair => {
  const kp = s().crypto_box_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
};

export const sign = (message: Uint8Array | string, privateKey: Uint8Array): Uint8Array =>
  s().crypto_sign_detached(message, privateKey);

export function verify(signature: Uint8Array, message: Uint8Array | string, publicKey: Uint8Array): boolean {
  try {
    return s().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** Anonymous sealed box to an X25519 public key (epoch keys to members, RED DEKs to recipients). */
export const seal = (message: Uint8Array, publicKey: Uint8Array): Uint8Array => s().crypto_box_seal(message, publicKey);

export function unseal(sealed: Uint8Array, kp: BoxKeyPair): Uint8Array | null {
  try {
    return s().crypto_box_seal_open(sealed, kp.publicKey, kp.privateKey);
  } catch {
    return null;
  }
}

export interface KdfParams { salt: Uint8Array; opslimit: number; memlimit: number }

export function newKdfParams(): KdfParams {
  return {
    salt: random(s().crypto_pwhash_SALTBYTES),
    opslimit: s().crypto_pwhash_OPSLIMIT_INTERACTIVE,
    memlimit: s().crypto_pwhash_MEMLIMIT_INTERACTIVE,
  };
}

/** Argon2id(passphrase) → 32-byte key. */
export function passphraseKey(passphrase: string, p: KdfParams): Uint8Array {
  return s().crypto_pwhash(32, passphrase, p.salt, p.opslimit, p.memlimit, s().crypto_pwhash_ALG_ARGON2ID13);
}

/** Keyed BLAKE2b, used to derive a wrapping key from the high-entropy recovery key. */
export const kdf = (input: Uint8Array, context: string): Uint8Array =>
  s().crypto_generichash(32, input, new TextEncoder().encode(context.padEnd(16, '.').slice(0, 64)));

/** Best-effort wipe of key material held in JS memory. */
export const wipe = (b: Uint8Array | undefined | null): void => { if (b) b.fill(0); };

export const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
export const fromB64 = (s64: string): Uint8Array => new Uint8Array(Buffer.from(s64, 'base64'));
