import { keys, type Ctx } from '../context/ctx';
import { aeadDecrypt, aeadEncrypt, type Sealed } from '../crypto/sodium';

// Names of spaces and people are content too: encrypted under a vault-held key, bound to their row.
export function sealText(ctx: Ctx, ad: string, text: string): Sealed {
  return aeadEncrypt(Buffer.from(text, 'utf8'), 'meta|' + ad, keys(ctx).metaKey);
}

export function openText(ctx: Ctx, ad: string, sealed: { nonce: Uint8Array; ciphertext: Uint8Array }): string {
  const plain = aeadDecrypt(sealed, 'meta|' + ad, keys(ctx).metaKey);
  return plain ? Buffer.from(plain).toString('utf8') : '(unreadable)';
}
