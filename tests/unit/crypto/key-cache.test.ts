import { describe, expect, it } from 'vitest';
import { KeyCache } from '../../../core/crypto/key-cache';
import { DEK_CACHE_ENTRIES, Keyring } from '../../../core/crypto/keyring';

const key = (i: number): Uint8Array => new Uint8Array(32).fill(i % 256);

describe('KeyCache', () => {
  it('keeps the most recently used keys only: a read refreshes, the oldest goes first', () => {
    const c = new KeyCache(3);
    c.set('a', key(1)).set('b', key(2)).set('c', key(3));
    expect(c.get('a')).toEqual(key(1)); // a is now the newest
    c.set('d', key(4));
    expect(c.has('b')).toBe(false);
    expect([...['a', 'c', 'd']].every((id) => c.has(id))).toBe(true);
    expect(c.size).toBe(3);
    c.set('c', key(5)); // replacing refreshes too
    c.set('e', key(6));
    expect(c.has('a')).toBe(false);
    expect(c.get('c')).toEqual(key(5));
  });

  it('an evicted key is dropped, not wiped (its last user may still hold it); delete and clear work', () => {
    const c = new KeyCache(1);
    const k = key(9);
    c.set('x', k);
    c.set('y', key(1));
    expect(c.has('x')).toBe(false);
    expect(k).toEqual(key(9));
    expect(c.delete('y')).toBe(true);
    c.set('z', key(2));
    c.clear();
    expect(c.size).toBe(0);
  });

  it('the keyring keeps at most DEK_CACHE_ENTRIES DEKs however many memories a session reads', () => {
    const ring = new Keyring(key(0), 'D', 'M', { publicKey: key(1), privateKey: new Uint8Array(64) }, { publicKey: key(2), privateKey: key(3) }, key(4), key(5));
    for (let i = 0; i < DEK_CACHE_ENTRIES + 500; i++) ring.deks.set(`m${i}`, key(i));
    expect(ring.deks.size).toBe(DEK_CACHE_ENTRIES);
    expect(ring.deks.has('m0')).toBe(false);
    expect(ring.deks.has(`m${DEK_CACHE_ENTRIES + 499}`)).toBe(true);
    const held = ring.deks.get(`m${DEK_CACHE_ENTRIES + 499}`)!;
    ring.wipe();
    expect(held.every((b) => b === 0)).toBe(true);
    expect(ring.deks.size).toBe(0);
  });
});
