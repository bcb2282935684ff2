import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto, random, signKeyPair, type SignKeyPair } from '../../../core/crypto/sodium';
import { BATCH_LEAVES, signBatch, verifyEntrySignature, type LogEntry } from '../../../core/store/sync-log';

const DEV = '01JD00000000000000000000DV';
const entry = (seq: number): Omit<LogEntry, 'signature'> => ({
  space_id: 'personal:me', doc_id: `01JD0000000000000000000${String(seq).padStart(3, '0')}`, author_device: DEV, seq,
  key_id: 'dek:x', nonce: random(24), ciphertext: random(40 + (seq % 7)),
});

// One Ed25519 signature over a Merkle root covers a run of entries; each entry still verifies alone,
// and every byte of it (header, ciphertext, index, count, path, signature) is covered.
describe('batch-signed log entries', () => {
  let kp: SignKeyPair;
  beforeAll(async () => { await initCrypto(); kp = signKeyPair(); });

  it('every entry of runs of every size verifies alone, with the author key only', () => {
    const other = signKeyPair();
    for (const n of [2, 3, 4, 5, 7, 8, 9, 31, 64, 100, BATCH_LEAVES]) {
      const run = Array.from({ length: n }, (_, k) => entry(k + 1));
      const sigs = signBatch(run, kp.privateKey);
      run.forEach((e, k) => {
        expect(verifyEntrySignature({ ...e, signature: sigs[k]! }, kp.publicKey), `${n}/${k}`).toBe(true);
        expect(verifyEntrySignature({ ...e, signature: sigs[k]! }, other.publicKey)).toBe(false);
      });
    }
  });

  it('refuses a changed header, ciphertext, swapped proof, index, count, truncated or lengthened path, signature', () => {
    const run = Array.from({ length: 37 }, (_, k) => entry(k + 1));
    const sigs = signBatch(run, kp.privateKey);
    const e = { ...run[5]!, signature: sigs[5]! };
    expect(verifyEntrySignature(e, kp.publicKey)).toBe(true);
    const ct = new Uint8Array(e.ciphertext); ct[0] ^= 1;
    expect(verifyEntrySignature({ ...e, ciphertext: ct }, kp.publicKey)).toBe(false);
    expect(verifyEntrySignature({ ...e, seq: e.seq + 1 }, kp.publicKey)).toBe(false);
    expect(verifyEntrySignature({ ...e, doc_id: run[6]!.doc_id }, kp.publicKey)).toBe(false);
    expect(verifyEntrySignature({ ...e, space_id: 'shared:other' }, kp.publicKey)).toBe(false);
    // a neighbour's proof (a swapped entry) does not fit this entry
    expect(verifyEntrySignature({ ...e, signature: sigs[6]! }, kp.publicKey)).toBe(false);
    const edit = (f: (b: Uint8Array, dv: DataView) => void, from = sigs[5]!) => { const b = new Uint8Array(from); f(b, new DataView(b.buffer)); return b; };
    expect(verifyEntrySignature({ ...e, signature: edit((_, dv) => dv.setUint32(5, 6)) }, kp.publicKey)).toBe(false); // index
    expect(verifyEntrySignature({ ...e, signature: edit((_, dv) => dv.setUint32(1, 36)) }, kp.publicKey)).toBe(false); // count (truncated batch)
    expect(verifyEntrySignature({ ...e, signature: edit((_, dv) => dv.setUint32(1, 38)) }, kp.publicKey)).toBe(false);
    expect(verifyEntrySignature({ ...e, signature: edit((b) => { b[20] ^= 1; }) }, kp.publicKey)).toBe(false); // signature
    expect(verifyEntrySignature({ ...e, signature: edit((b) => { b[b.length - 1] ^= 1; }) }, kp.publicKey)).toBe(false); // path
    expect(verifyEntrySignature({ ...e, signature: sigs[5]!.subarray(0, sigs[5]!.length - 32) }, kp.publicKey)).toBe(false);
    const longer = new Uint8Array(sigs[5]!.length + 32); longer.set(sigs[5]!);
    expect(verifyEntrySignature({ ...e, signature: longer }, kp.publicKey)).toBe(false);
    expect(verifyEntrySignature({ ...e, signature: edit((b) => { b[0] = 3; }) }, kp.publicKey)).toBe(false); // unknown form
    // a purged entry keeps the hash its proof covers, and still verifies
    expect(verifyEntrySignature({ ...e, ciphertext: new Uint8Array(0), purged_sha256: createHash('sha256').update(e.ciphertext).digest('hex') }, kp.publicKey)).toBe(true);
  });

  // A receiver proves a batch's nodes once and compares, not hashes, them for the next entries
  // (store/merkle-tree.ts): what is proven must never let a changed byte through.
  it('with every node of its batch already proven, a changed byte of any path hash, the index or the count is still refused', () => {
    for (const n of [2, 3, 37, BATCH_LEAVES]) {
      const run = Array.from({ length: n }, (_, k) => entry(k + 1));
      const sigs = signBatch(run, kp.privateKey);
      // in order, in reverse and again: every entry verifies whatever the memo holds
      for (const k of [...run.keys(), ...[...run.keys()].reverse()]) expect(verifyEntrySignature({ ...run[k]!, signature: sigs[k]! }, kp.publicKey), `${n}/${k}`).toBe(true);
      for (let k = 0; k < n; k++) {
        const sig = sigs[k]!;
        for (let off = 73; off < sig.length; off += 32) {
          for (const at of [off, off + 31]) {
            const bad = new Uint8Array(sig); bad[at]! ^= 0x80;
            expect(verifyEntrySignature({ ...run[k]!, signature: bad }, kp.publicKey), `${n}/${k} path byte ${at}`).toBe(false);
          }
        }
        for (const index of [k ^ 1, (k + 2) % n]) {
          if (index === k || index >= n) continue;
          const bad = new Uint8Array(sig); new DataView(bad.buffer).setUint32(5, index);
          expect(verifyEntrySignature({ ...run[k]!, signature: bad }, kp.publicKey), `${n}/${k} as index ${index}`).toBe(false);
          // another entry's bytes under this entry's proof
          expect(verifyEntrySignature({ ...run[index]!, signature: sig }, kp.publicKey), `${n}/${index} with ${k}'s proof`).toBe(false);
        }
        // the same proof claimed for another space or author, whose statement was never signed
        expect(verifyEntrySignature({ ...run[k]!, space_id: 'shared:other', signature: sig }, kp.publicKey)).toBe(false);
        expect(verifyEntrySignature({ ...run[k]!, author_device: '01JD00000000000000000000XX', signature: sig }, kp.publicKey)).toBe(false);
      }
      // and the untouched proofs still verify after all the refusals
      run.forEach((e, k) => expect(verifyEntrySignature({ ...e, signature: sigs[k]! }, kp.publicKey)).toBe(true));
    }
  });
});
