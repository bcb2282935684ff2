import { randomFillSync } from 'node:crypto';

// Node's CSPRNG, drawn in 16 KiB blocks: one getrandom per block instead of one per nonce, which
// on this class of machine costs ~10 µs a call. Every byte is used once and then forgotten.
const POOL_SIZE = 16 * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomBytesPooled(n: number): Uint8Array {
  if (n > POOL_SIZE / 4) return new Uint8Array(randomFillSync(Buffer.alloc(n)));
  if (offset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_SIZE));
    offset = 0;
  }
  const out = new Uint8Array(n);
  out.set(pool.subarray(offset, offset + n));
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}
