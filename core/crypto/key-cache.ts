/**
 * The most recently used keys by id, at most `capacity` of them (a Map in use order). The DEK
 * cache was a plain Map, so every memory a session read kept its key for as long as the vault
 * stayed unlocked: an export of 100k memories left 100k DEKs (and ~40 MB of heap) behind. Opening
 * a DEK again costs one AEAD open (a sealed box for RED), so a few thousand recent ones are enough.
 *
 * An evicted key is dropped, not wiped: whoever asked for it last may still be using it (a stream
 * decrypting an attachment chunk by chunk). lock() wipes what is still held.
 */
export class KeyCache {
  private readonly map = new Map<string, Uint8Array>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.map.size;
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  get(id: string): Uint8Array | undefined {
    const k = this.map.get(id);
    if (k) { this.map.delete(id); this.map.set(id, k); }
    return k;
  }

  set(id: string, key: Uint8Array): this {
    this.map.delete(id);
    this.map.set(id, key);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return this;
  }

  delete(id: string): boolean {
    return this.map.delete(id);
  }

  values(): IterableIterator<Uint8Array> {
    return this.map.values();
  }

  clear(): void {
    this.map.clear();
  }
}
