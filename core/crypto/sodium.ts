import sn from 'sodium-native';
import { randomBytesPooled } from './random';

/**
 * The one crypto provider: libsodium through sodium-native (N-API prebuilds, so Electron loads
 * it without a rebuild; 2–3× the WebAssembly build for Ed25519 and AEAD). Nonces and random keys
 * come from Node's CSPRNG. Outputs are fresh Uint8Arrays of their own (never slices of Node's
 * shared buffer pool, which callers might keep or wipe).
 */
export async function initCrypto(): Promise<void> {
  // the native binding is ready when it is loaded; kept async so callers need not change
}

const bytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

export const random = (n: number): Uint8Array => randomBytesPooled(n);
export const newKey = (): Uint8Array => random(32);

export interface Sealed { nonce: Uint8Array; ciphertext: Uint8Array }

/** XChaCha20-Poly1305-IETF with associated data that binds the ciphertext to its record. */
export function aeadEncrypt(plain: Uint8Array, ad: string, key: Uint8Array): Sealed {
  const nonce = random(sn.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = new Uint8Array(plain.length + sn.crypto_aead_xchacha20poly1305_ietf_ABYTES);
  sn.crypto_aead_xchacha20poly1305_ietf_encrypt(ciphertext, plain, bytes(ad), null, nonce, key);
  return { nonce, ciphertext };
}

/** Returns null on any authentication failure (wrong key, wrong AD, flipped byte). */
export function aeadDecrypt(sealed: Sealed, ad: string, key: Uint8Array): Uint8Array | null {
  const abytes = sn.crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.ciphertext.length < abytes || sealed.nonce.length !== sn.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES || key.length !== 32) return null;
  const plain = new Uint8Array(sealed.ciphertext.length - abytes);
  try {
    sn.crypto_aead_xchacha20poly1305_ietf_decrypt(plain, null, sealed.ciphertext, bytes(ad), sealed.nonce, key);
    return plain;
  } catch {
    return null;
  }
}

export interface SignKeyPair { publicKey: Uint8Array; privateKey: Uint8Array }
export interface BoxKeyPair { publicKey: Uint8Array; privateKey: Uint8Array }

export const signKeyPair = (): SignKeyPair => {
  const publicKey = new Uint8Array(sn.crypto_sign_PUBLICKEYBYTES);
  const privateKey = new Uint8Array(sn.crypto_sign_SECRETKEYBYTES);
  sn.crypto_sign_keypair(publicKey, privateKey);
  return { publicKey, privateKey };
};
export const boxKeyPair = (): BoxKeyPair => {
  const publicKey = new Uint8Array(sn.crypto_box_PUBLICKEYBYTES);
  const privateKey = new Uint8Array(sn.crypto_box_SECRETKEYBYTES);
  sn.crypto_box_keypair(publicKey, privateKey);
  return { publicKey, privateKey };
};

export const sign = (message: Uint8Array | string, privateKey: Uint8Array): Uint8Array => {
  const sig = new Uint8Array(sn.crypto_sign_BYTES);
  sn.crypto_sign_detached(sig, bytes(message), privateKey);
  return sig;
};

export function verify(signature: Uint8Array, message: Uint8Array | string, publicKey: Uint8Array): boolean {
  if (signature.length !== sn.crypto_sign_BYTES || publicKey.length !== sn.crypto_sign_PUBLICKEYBYTES) return false;
  try {
    return sn.crypto_sign_verify_detached(signature, bytes(message), publicKey);
  } catch {
    return false;
  }
}

/** Anonymous sealed box to an X25519 public key (epoch keys to members, RED DEKs to recipients). */
export const seal = (message: Uint8Array, publicKey: Uint8Array): Uint8Array => {
  const out = new Uint8Array(message.length + sn.crypto_box_SEALBYTES);
  sn.crypto_box_seal(out, message, publicKey);
  return out;
};

export function unseal(sealed: Uint8Array, kp: BoxKeyPair): Uint8Array | null {
  if (sealed.length < sn.crypto_box_SEALBYTES) return null;
  const out = new Uint8Array(sealed.length - sn.crypto_box_SEALBYTES);
  try {
    return sn.crypto_box_seal_open(out, sealed, kp.publicKey, kp.privateKey) ? out : null;
  } catch {
    return null;
  }
}

export interface KdfParams { salt: Uint8Array; opslimit: number; memlimit: number }

export function newKdfParams(): KdfParams {
  return {
    salt: random(sn.crypto_pwhash_SALTBYTES),
    opslimit: sn.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    memlimit: sn.crypto_pwhash_MEMLIMIT_INTERACTIVE,
  };
}

/** Argon2id(passphrase) → 32-byte key (the parameters stored with the vault: existing vaults open unchanged). */
export function passphraseKey(passphrase: string, p: KdfParams): Uint8Array {
  const out = new Uint8Array(32);
  const pw = Buffer.from(passphrase, 'utf8');
  try {
    sn.crypto_pwhash(out, pw, p.salt, p.opslimit, p.memlimit, sn.crypto_pwhash_ALG_ARGON2ID13);
  } finally {
    pw.fill(0);
  }
  return out;
}

/** Keyed BLAKE2b, used to derive a wrapping key from the high-entropy recovery key. */
export const kdf = (input: Uint8Array, context: string): Uint8Array => {
  const out = new Uint8Array(32);
  sn.crypto_generichash(out, input, new TextEncoder().encode(context.padEnd(16, '.').slice(0, 64)));
  return out;
};

/** Best-effort wipe of key material held in JS memory. */
export const wipe = (b: Uint8Array | undefined | null): void => { if (b) b.fill(0); };

export const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
export const fromB64 = (s64: string): Uint8Array => new Uint8Array(Buffer.from(s64, 'base64'));
