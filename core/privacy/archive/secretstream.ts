import _sodium from 'libsodium-wrappers-sumo';

/**
 * libsodium's secretstream (XChaCha20-Poly1305), behind two small functions so that a move of the
 * core to another binding (sodium-native) changes this file only. The constants are those of the
 * construction itself (crypto_secretstream_xchacha20poly1305_*), not of a binding.
 *
 * initCrypto() (core/crypto/sodium.ts) must have run: the bindings appear once libsodium is ready.
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

function ready(): typeof _sodium {
  if (typeof _sodium.crypto_secretstream_xchacha20poly1305_init_push !== 'function') {
    throw new Error('crypto not initialised: await initCrypto() first');
  }
  return _sodium;
}

export function secretstreamSealer(key: Uint8Array): Sealer {
  const s = ready();
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  return {
    header,
    push: (message, final, ad) => s.crypto_secretstream_xchacha20poly1305_push(
      state, message, ad ?? null,
      final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    ),
  };
}

export function secretstreamOpener(key: Uint8Array, header: Uint8Array): Opener {
  const s = ready();
  const state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  return {
    pull: (ciphertext, ad) => {
      let r: { message: Uint8Array; tag: number } | false;
      try {
        r = s.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext, ad ?? null) as { message: Uint8Array; tag: number } | false;
      } catch {
        return null;
      }
      if (!r) return null;
      return { message: r.message, final: r.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL };
    },
  };
}
