import sn from 'sodium-native';

/**
 * libsodium's secretstream (XChaCha20-Poly1305) through sodium-native, behind two small
 * functions. The constants are those of the construction itself
 * (crypto_secretstream_xchacha20poly1305_*), not of a binding.
 */
export const SECRETSTREAM_KEYBYTES = 32;
export const SECRETSTREAM_HEADERBYTES = 24;
/** per-chunk overhead: a 1-byte encrypted tag and a 16-byte Poly1305 MAC */
export const SECRETSTREAM_ABYTES = 17;

export interface Sealer {
  /** sent once, before the first chunk */
  readonly header: Uint8Array;
  /** seals one chunk; `final` marks the end of the stream (nothing may follow it) */
  push(message: Uint8Array, final: boolean, ad?: Uint8Array): Uint8Array;
}

export interface Opener {
  /** null when the chunk does not authenticate (wrong key, damaged, reordered, truncated chunk) */
  pull(ciphertext: Uint8Array, ad?: Uint8Array): { message: Uint8Array; final: boolean } | null;
}

const TAG_MESSAGE = sn.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const TAG_FINAL = sn.crypto_secretstream_xchacha20poly1305_TAG_FINAL;

export function secretstreamSealer(key: Uint8Array): Sealer {
  const state = new Uint8Array(sn.crypto_secretstream_xchacha20poly1305_STATEBYTES);
  const header = new Uint8Array(SECRETSTREAM_HEADERBYTES);
  sn.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
  return {
    header,
    push: (message, final, ad) => {
      const c = new Uint8Array(message.length + SECRETSTREAM_ABYTES);
      sn.crypto_secretstream_xchacha20poly1305_push(state, c, message, ad ?? null, final ? TAG_FINAL : TAG_MESSAGE);
      return c;
    },
  };
}

export function secretstreamOpener(key: Uint8Array, header: Uint8Array): Opener {
  const state = new Uint8Array(sn.crypto_secretstream_xchacha20poly1305_STATEBYTES);
  sn.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key);
  const tag = new Uint8Array(1);
  return {
    pull: (ciphertext, ad) => {
      if (ciphertext.length < SECRETSTREAM_ABYTES) return null;
      const message = new Uint8Array(ciphertext.length - SECRETSTREAM_ABYTES);
      try {
        sn.crypto_secretstream_xchacha20poly1305_pull(state, message, tag, ciphertext, ad ?? null);
      } catch {
        return null;
      }
      return { message, final: tag[0] === TAG_FINAL };
    },
  };
}
