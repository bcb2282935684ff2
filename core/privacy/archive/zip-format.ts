/**
 * The byte layouts of the export's ZIP (APPNOTE 6.3): local file header, data descriptor, central
 * directory record and the end records, ZIP64 where a size, an offset or the entry count needs it.
 * They are the records yazl 3.3.1 wrote for these archives, field for field (the writer used it
 * until it kept an object per entry for the whole run), so an archive written now reads exactly as
 * one written then: UTF-8 names, Unix mode, DOS time plus the Info-ZIP "UT" mtime in the central
 * directory, a data descriptor only after an entry whose sizes were unknown when it began.
 */

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

/** What the central directory needs of one entry. */
export interface CentralEntry {
  name: Buffer;
  method: number;
  /** the sizes and CRC were unknown in the local header (a data descriptor follows the data) */
  descriptor: boolean;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
  dosTime: number;
  dosDate: number;
  /** Unix seconds for the "UT" extra field */
  mtime: number;
  externalAttributes: number;
}

const VERSION_NEEDED_UTF8 = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** 3 = Unix, 63 = APPNOTE 6.3 */
const VERSION_MADE_BY = (3 << 8) | 63;
const FLAG_UTF8 = 1 << 11;
const FLAG_DESCRIPTOR = 1 << 3;
const ZIP32_LIMIT = 0xfffffffe;
export const LOCAL_HEADER_FIXED = 30;
export const CENTRAL_FIXED = 46;
const UT_EXTRA = 9;
const ZIP64_EXTRA = 28;

const writeU64 = (b: Buffer, n: number, off: number): void => {
  b.writeUInt32LE(n % 0x100000000, off);
  b.writeUInt32LE(Math.floor(n / 0x100000000), off + 4);
};

/** As yazl decides it: any size or the local header's offset past 32 bits. */
export const needsZip64 = (e: Pick<CentralEntry, 'compressedSize' | 'uncompressedSize' | 'offset'>): boolean =>
  e.uncompressedSize > ZIP32_LIMIT || e.compressedSize > ZIP32_LIMIT || e.offset > ZIP32_LIMIT;

/** The mode as the external attributes' high 16 bits. */
export const unixAttributes = (mode: number): number => {
  if ((mode & 0xffff) !== mode) throw new RangeError(`invalid file mode ${mode}`);
  return (mode << 16) >>> 0;
};

const MIN_DOS = new Date(1980, 0, 1);
const MAX_DOS = new Date(2107, 11, 31, 23, 59, 58);

/** DOS date and time, in the local time zone as DOS has it (and yazl wrote it), clamped to its range. */
export function dosDateTime(d: Date): { date: number; time: number } {
  const t = d < MIN_DOS ? MIN_DOS : d > MAX_DOS ? MAX_DOS : d;
  const date = (t.getDate() & 0x1f) | (((t.getMonth() + 1) & 0xf) << 5) | (((t.getFullYear() - 1980) & 0x7f) << 9);
  const time = Math.floor(t.getSeconds() / 2) | ((t.getMinutes() & 0x3f) << 5) | ((t.getHours() & 0x1f) << 11);
  return { date, time };
}

/** Unix seconds, clamped to the UT field's signed 32 bits. */
export const utSeconds = (d: Date): number => Math.min(0x7fffffff, Math.max(-0x80000000, Math.floor(d.getTime() / 1000)));

/** The local file header; with `known` the CRC and sizes are in it, else they follow in a data descriptor. */
export function localHeader(e: { name: Buffer; method: number; dosTime: number; dosDate: number }, known: { crc32: number; compressedSize: number; uncompressedSize: number } | null): Buffer {
  const b = Buffer.alloc(LOCAL_HEADER_FIXED + e.name.length);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_NEEDED_UTF8, 4);
  b.writeUInt16LE(known ? FLAG_UTF8 : FLAG_UTF8 | FLAG_DESCRIPTOR, 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(e.dosTime, 10);
  b.writeUInt16LE(e.dosDate, 12);
  b.writeUInt32LE(known ? known.crc32 : 0, 14);
  b.writeUInt32LE(known ? known.compressedSize : 0, 18);
  b.writeUInt32LE(known ? known.uncompressedSize : 0, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(0, 28);
  e.name.copy(b, LOCAL_HEADER_FIXED);
  return b;
}

/** The data descriptor after an entry that began without its sizes (24 bytes in ZIP64, else 16). */
export function dataDescriptor(e: Pick<CentralEntry, 'crc32' | 'compressedSize' | 'uncompressedSize' | 'offset'>): Buffer {
  const zip64 = needsZip64(e);
  const b = Buffer.alloc(zip64 ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc32, 4);
  if (zip64) {
    writeU64(b, e.compressedSize, 8);
    writeU64(b, e.uncompressedSize, 16);
  } else {
    b.writeUInt32LE(e.compressedSize, 8);
    b.writeUInt32LE(e.uncompressedSize, 12);
  }
  return b;
}

export const centralRecordSize = (e: CentralEntry): number => CENTRAL_FIXED + e.name.length + UT_EXTRA + (needsZip64(e) ? ZIP64_EXTRA : 0);

/** One central directory record, written into `b` at `off`; returns the offset after it. */
export function writeCentralRecord(b: Buffer, off: number, e: CentralEntry): number {
  const zip64 = needsZip64(e);
  b.writeUInt32LE(0x02014b50, off);
  b.writeUInt16LE(VERSION_MADE_BY, off + 4);
  b.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED_UTF8, off + 6);
  b.writeUInt16LE(e.descriptor ? FLAG_UTF8 | FLAG_DESCRIPTOR : FLAG_UTF8, off + 8);
  b.writeUInt16LE(e.method, off + 10);
  b.writeUInt16LE(e.dosTime, off + 12);
  b.writeUInt16LE(e.dosDate, off + 14);
  b.writeUInt32LE(e.crc32, off + 16);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.compressedSize, off + 20);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.uncompressedSize, off + 24);
  b.writeUInt16LE(e.name.length, off + 28);
  b.writeUInt16LE(UT_EXTRA + (zip64 ? ZIP64_EXTRA : 0), off + 30);
  b.writeUInt16LE(0, off + 32); // comment length
  b.writeUInt16LE(0, off + 34); // disk number start
  b.writeUInt16LE(0, off + 36); // internal attributes
  b.writeUInt32LE(e.externalAttributes, off + 38);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.offset, off + 42);
  let p = off + CENTRAL_FIXED;
  p += e.name.copy(b, p);
  // Info-ZIP universal timestamp: mtime, with the atime flag set as Info-ZIP does (no atime field here)
  b.writeUInt16LE(0x5455, p);
  b.writeUInt16LE(UT_EXTRA - 4, p + 2);
  b.writeUInt8(0b11, p + 4);
  b.writeInt32LE(e.mtime, p + 5);
  p += UT_EXTRA;
  if (zip64) {
    b.writeUInt16LE(0x0001, p);
    b.writeUInt16LE(ZIP64_EXTRA - 4, p + 2);
    writeU64(b, e.uncompressedSize, p + 4);
    writeU64(b, e.compressedSize, p + 12);
    writeU64(b, e.offset, p + 20);
    p += ZIP64_EXTRA;
  }
  return p;
}

/**
 * The end records after a central directory of `count` records, `size` bytes, starting at
 * `start`: the ZIP64 end record and locator when the count or a position needs them, then the
 * classic end record (no archive comment).
 */
export function endRecords(count: number, start: number, size: number): Buffer {
  const zip64 = count >= 0xffff || size >= 0xffffffff || start >= 0xffffffff;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 10);
  eocd.writeUInt32LE(size >= 0xffffffff ? 0xffffffff : size, 12);
  eocd.writeUInt32LE(start >= 0xffffffff ? 0xffffffff : start, 16);
  if (!zip64) return eocd;
  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  writeU64(rec, 56 - 12, 4);
  rec.writeUInt16LE(VERSION_MADE_BY, 12);
  rec.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  writeU64(rec, count, 24);
  writeU64(rec, count, 32);
  writeU64(rec, size, 40);
  writeU64(rec, start, 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  writeU64(loc, start + size, 8); // the ZIP64 end record follows the central directory
  loc.writeUInt32LE(1, 16);
  return Buffer.concat([rec, loc, eocd]);
}
