import type { CentralEntry } from './zip-format';

/** What the manifest lists of an entry. */
export interface FileRecord { path: string; size: number; sha256: string }

/**
 * Every entry of an archive being written, packed: what its central directory record needs and
 * what the manifest lists ({path, size, sha256}), as fixed-size fields followed by the UTF-8 name
 * in 1 MiB blocks — ~120 bytes an entry for a memory's file, no JS object per entry (an export of
 * 100k memories has 200k entries; an object each was most of its memory). Names are found again
 * through an open-addressing table of 32-bit hashes (duplicates are refused).
 *
 * Record layout (little-endian):
 *    0 u16 name length      2 u8 method     3 u8 flags (1: data descriptor, 2: complete)
 *    4 u32 crc32            8 f64 compressed size   16 f64 uncompressed size   24 f64 offset
 *   32 u16 DOS time        34 u16 DOS date   36 i32 Unix mtime   40 u32 external attributes
 *   44 32 bytes SHA-256    76 name
 */
const FIXED = 76;
const BLOCK = 1024 * 1024;
const DESCRIPTOR = 1;
const COMPLETE = 2;

export interface NewEntry {
  name: Buffer; method: number; descriptor: boolean; offset: number;
  dosTime: number; dosDate: number; mtime: number; externalAttributes: number;
}

export interface EntrySums { crc32: number; compressedSize: number; uncompressedSize: number; sha256: Buffer }

/** FNV-1a over the bytes, as a signed 32-bit integer (a small integer to V8, never a heap number) */
function hashOf(b: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h | 0;
}

export class EntryTable {
  private readonly blocks: Buffer[] = [];
  private used = BLOCK;
  /** where each record starts: block × BLOCK + offset */
  private starts = new Float64Array(1024);
  private hashes = new Int32Array(1024);
  /** open addressing: entry index + 1, 0 for an empty slot; kept at most half full */
  private slots = new Int32Array(2048);
  private n = 0;

  get count(): number {
    return this.n;
  }

  private at(i: number): { b: Buffer; o: number } {
    const s = this.starts[i]!;
    return { b: this.blocks[Math.floor(s / BLOCK)]!, o: s % BLOCK };
  }

  private nameAt(i: number): Buffer {
    const { b, o } = this.at(i);
    return b.subarray(o + FIXED, o + FIXED + b.readUInt16LE(o));
  }

  private find(name: Buffer, h: number): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      if (this.hashes[v - 1] === h && this.nameAt(v - 1).equals(name)) return v - 1;
    }
  }

  private place(i: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[i]! & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = i + 1;
  }

  has(name: Buffer): boolean {
    return this.find(name, hashOf(name)) >= 0;
  }

  /** a new entry at the end, its sums to come (complete()); returns its index */
  add(e: NewEntry): number {
    if (e.name.length > 0xffff) throw new RangeError('entry name too long');
    const h = hashOf(e.name);
    if (this.find(e.name, h) >= 0) throw new Error(`duplicate entry ${e.name.toString('utf8')}`);
    const size = FIXED + e.name.length;
    if (this.used + size > BLOCK) {
      this.blocks.push(Buffer.allocUnsafeSlow(BLOCK));
      this.used = 0;
    }
    const i = this.n++;
    if (i === this.starts.length) {
      const starts = new Float64Array(i * 2); starts.set(this.starts); this.starts = starts;
      const hashes = new Int32Array(i * 2); hashes.set(this.hashes); this.hashes = hashes;
    }
    const o = this.used;
    const b = this.blocks[this.blocks.length - 1]!;
    this.starts[i] = (this.blocks.length - 1) * BLOCK + o;
    this.hashes[i] = h;
    this.used += size;
    b.fill(0, o, o + FIXED);
    b.writeUInt16LE(e.name.length, o);
    b[o + 2] = e.method;
    b[o + 3] = e.descriptor ? DESCRIPTOR : 0;
    b.writeDoubleLE(e.offset, o + 24);
    b.writeUInt16LE(e.dosTime, o + 32);
    b.writeUInt16LE(e.dosDate, o + 34);
    b.writeInt32LE(e.mtime, o + 36);
    b.writeUInt32LE(e.externalAttributes, o + 40);
    e.name.copy(b, o + FIXED);
    if (this.n * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let k = 0; k < this.n; k++) this.place(k);
    } else {
      this.place(i);
    }
    return i;
  }

  complete(i: number, s: EntrySums): void {
    const { b, o } = this.at(i);
    b.writeUInt32LE(s.crc32 >>> 0, o + 4);
    b.writeDoubleLE(s.compressedSize, o + 8);
    b.writeDoubleLE(s.uncompressedSize, o + 16);
    s.sha256.copy(b, o + 44, 0, 32);
    b[o + 3]! |= COMPLETE;
  }

  /** the entry's central directory fields (its name a view into the table: use it before the next add) */
  central(i: number): CentralEntry {
    const { b, o } = this.at(i);
    return {
      name: this.nameAt(i), method: b[o + 2]!, descriptor: (b[o + 3]! & DESCRIPTOR) !== 0,
      crc32: b.readUInt32LE(o + 4), compressedSize: b.readDoubleLE(o + 8), uncompressedSize: b.readDoubleLE(o + 16), offset: b.readDoubleLE(o + 24),
      dosTime: b.readUInt16LE(o + 32), dosDate: b.readUInt16LE(o + 34), mtime: b.readInt32LE(o + 36), externalAttributes: b.readUInt32LE(o + 40),
    };
  }

  /** {path, size, sha256}; an entry still being written has size 0 and sha256 '' */
  record(i: number): FileRecord {
    const { b, o } = this.at(i);
    const path = this.nameAt(i).toString('utf8');
    if ((b[o + 3]! & COMPLETE) === 0) return { path, size: 0, sha256: '' };
    return { path, size: b.readDoubleLE(o + 16), sha256: b.toString('hex', o + 44, o + 76) };
  }

  /** the records in archive order, made one at a time as they are read */
  *records(): Generator<FileRecord> {
    for (let i = 0; i < this.n; i++) yield this.record(i);
  }
}
