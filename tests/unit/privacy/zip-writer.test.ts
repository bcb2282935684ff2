import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZipFile } from 'yazl';
import { initCrypto } from '../../../core/crypto/sodium';
import { manifestBytes, openArchive, type FileRecord, type ManifestHead } from '../../../core/privacy/archive';
import { EntryTable } from '../../../core/privacy/archive/entry-table';
import { decryptArchive } from '../../../core/privacy/archive/encrypted';

/**
 * The writer keeps one packed record per entry instead of yazl's objects; the archive it writes
 * must stay the one yazl 3.3.1 wrote (the format of every export so far): the same entries, in
 * the same order, with the same options, give the same bytes. And the manifest made from records
 * without holding them is byte for byte `JSON.stringify(manifest, null, 2) + '\n'`.
 */

let dir: string;
beforeAll(async () => {
  await initCrypto();
  dir = mkdtempSync(join(tmpdir(), 'mos-zipw-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MTIME = new Date('2026-11-25T12:00:00.000Z');
const MODE = 0o100600;

type Item = { name: string; data: Buffer | (() => Readable); compress: boolean; mtime?: Date };

function items(): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < 300; i++) {
    const body = Buffer.from(JSON.stringify({ i, text: randomBytes(200 + (i % 7) * 90).toString('base64') }, null, 2));
    out.push({ name: `memories/${String(i).padStart(4, '0')}.json`, data: body, compress: i % 3 !== 0 });
  }
  const big = randomBytes(300_000);
  const compressible = Buffer.alloc(200_000, 'abc');
  out.push(
    { name: 'notes/ünïcödé — name.md', data: Buffer.from('# hello\n'), compress: true, mtime: new Date('1975-06-01T00:00:00Z') },
    { name: 'attachments/big.bin', data: big, compress: false },
    { name: 'attachments/compressible.txt', data: compressible, compress: true },
    { name: 'attachments/streamed-stored.bin', data: () => Readable.from([big.subarray(0, 70_000), big.subarray(70_000)]), compress: false },
    { name: 'attachments/streamed-deflated.txt', data: () => Readable.from([compressible, compressible]), compress: true },
    { name: 'empty.txt', data: Buffer.alloc(0), compress: true },
  );
  return out;
}

async function withYazl(path: string, list: Item[]): Promise<void> {
  const zip = new ZipFile();
  const file = createWriteStream(path);
  zip.outputStream.pipe(file);
  for (const it of list) {
    const opts = { compress: it.compress, mtime: it.mtime ?? MTIME, mode: MODE };
    if (Buffer.isBuffer(it.data)) zip.addBuffer(it.data, it.name, opts);
    else zip.addReadStream(it.data(), it.name, opts);
  }
  zip.end();
  await finished(file);
}

async function withWriter(path: string, list: Item[]): Promise<FileRecord[]> {
  const w = openArchive(path, { mtime: MTIME });
  for (const it of list) await w.addFile(it.name, Buffer.isBuffer(it.data) ? it.data : it.data(), { compress: it.compress, mtime: it.mtime });
  const done = await w.finish();
  expect(done.count).toBe(list.length);
  return done.files;
}

describe('zip-writer', () => {
  it('writes the bytes yazl 3.3.1 wrote for the same entries (stored, deflated, streamed, large, empty, non-ASCII names)', async () => {
    const list = items();
    await withYazl(join(dir, 'yazl.zip'), list);
    const files = await withWriter(join(dir, 'ours.zip'), list);
    const a = readFileSync(join(dir, 'yazl.zip'));
    const b = readFileSync(join(dir, 'ours.zip'));
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(true);
    expect(files.map((f) => f.path)).toEqual(list.map((x) => x.name));
  });

  it('stages its bytes through a handful of blocks, each used again once the output is done with it (plain and encrypted)', async () => {
    // a fresh 256 KiB block per 256 KiB written (~1,000 in an export of 100k memories) waited for
    // the disk long enough to reach V8's old generation: 40–50 MB of the export's RSS at 100k
    const STAGE = 256 * 1024;
    const list: Item[] = Array.from({ length: 16_000 }, (_, i) => ({ name: `m/${i}.json`, data: Buffer.from(JSON.stringify({ i, text: randomBytes(700 + (i % 50) * 9).toString('base64') })), compress: false }));
    const blocks = async (write: () => Promise<unknown>): Promise<number> => {
      const spy = vi.spyOn(Buffer, 'allocUnsafeSlow');
      try { await write(); return spy.mock.calls.filter(([n]) => n === STAGE).length; } finally { spy.mockRestore(); }
    };
    const plain = join(dir, 'reuse.zip');
    expect(await blocks(() => withWriter(plain, list))).toBeLessThanOrEqual(8);
    expect(readFileSync(plain).length).toBeGreaterThan(20 * 2 ** 20); // ~80 blocks' worth
    // a block used again before the disk had its bytes would show here: they are yazl's
    await withYazl(join(dir, 'reuse-yazl.zip'), list);
    expect(readFileSync(plain).equals(readFileSync(join(dir, 'reuse-yazl.zip')))).toBe(true);

    const enc = join(dir, 'reuse.zip.enc');
    expect(await blocks(async () => {
      const w = openArchive(enc, { mtime: MTIME, encrypt: { passphrase: 'a long enough passphrase' } });
      for (const it of list) await w.addFile(it.name, it.data as Buffer, { compress: false });
      await w.finish();
    })).toBeLessThanOrEqual(8);
    await decryptArchive(enc, join(dir, 'reuse-decrypted.zip'), 'a long enough passphrase');
    expect(readFileSync(join(dir, 'reuse-decrypted.zip')).equals(readFileSync(plain))).toBe(true);
  }, 120_000);

  it('past 65 535 entries: the same ZIP64 end records as yazl', async () => {
    // yazl rescans its entry list on every pump (quadratic): add the entries in one go, then end
    const list: Item[] = Array.from({ length: 66_000 }, (_, i) => ({ name: `n/${i}.txt`, data: Buffer.from(`note ${i}`), compress: false }));
    await withYazl(join(dir, 'yazl64.zip'), list);
    await withWriter(join(dir, 'ours64.zip'), list);
    expect(readFileSync(join(dir, 'ours64.zip')).equals(readFileSync(join(dir, 'yazl64.zip')))).toBe(true);
  }, 180_000);
});

describe('manifestBytes', () => {
  const head: ManifestHead = {
    format: 'memoryos-export', format_version: '1.0.0', subject: { member_id: 'M1', name: 'Zoë "Z" Ünal' }, generated_at: '2026-11-25T12:00:00.000Z',
    app_version: '0.1.0', schema_versions: { 'storage/export-memory.schema.json': '1.0.0' }, policy_version: '1.0.0',
    signing_device: { device_id: 'D1', public_key: Buffer.alloc(32, 1).toString('base64') }, counts: { memories: 2, markdown: 2 },
  };
  const sha = (i: number): string => Buffer.alloc(32, i).toString('hex');

  it('is JSON.stringify(manifest, null, 2) + newline, for no files and for many (non-ASCII paths, large sizes, more than one batch)', () => {
    for (const files of [
      [],
      [{ path: 'a.txt', size: 0, sha256: sha(1) }],
      Array.from({ length: 5000 }, (_, i) => ({ path: i % 2 ? `memories/${i}.json` : `notes/ü ${i} ☃.md`, size: i * 1_000_003, sha256: sha(i % 256) })),
    ] as FileRecord[][]) {
      const r = manifestBytes(head, () => files);
      const manifest = { ...head, files };
      expect(r.bytes.toString('utf8')).toBe(JSON.stringify(manifest, null, 2) + '\n');
      expect(r.files).toBe(files.length);
      expect(r.compactSha256).toBe(require('node:crypto').createHash('sha256').update(JSON.stringify(manifest)).digest('hex'));
    }
  });

  it('refuses an incomplete record and a record naming the manifest itself', () => {
    expect(() => manifestBytes(head, () => [{ path: 'a', size: 0, sha256: '' }])).toThrow(/incomplete record/);
    expect(() => manifestBytes(head, () => [{ path: 'manifest.json', size: 1, sha256: sha(1) }])).toThrow(/cannot list itself/);
  });
});

describe('EntryTable', () => {
  it('finds every name again and refuses each one twice, across table growth and many blocks', () => {
    const t = new EntryTable();
    const name = (i: number) => Buffer.from(`memories/${i.toString(36).padStart(8, '0')}-${'x'.repeat(i % 50)}.json`);
    const entry = (i: number) => ({ name: name(i), method: 0, descriptor: false, offset: i * 1000, dosTime: 1, dosDate: 2, mtime: 3, externalAttributes: 4 });
    const N = 30_000; // > 1 MiB of records: several blocks
    for (let i = 0; i < N; i++) t.add(entry(i));
    expect(t.count).toBe(N);
    for (let i = 0; i < N; i += 997) {
      expect(t.has(name(i))).toBe(true);
      expect(() => t.add(entry(i))).toThrow(/duplicate entry/);
    }
    expect(t.has(Buffer.from('memories/absent.json'))).toBe(false);
    t.complete(12_345, { crc32: 0xdeadbeef, compressedSize: 5, uncompressedSize: 2 ** 40, sha256: Buffer.alloc(32, 9) });
    expect(t.record(12_345)).toEqual({ path: name(12_345).toString(), size: 2 ** 40, sha256: '09'.repeat(32) });
    expect(t.record(12_346)).toEqual({ path: name(12_346).toString(), size: 0, sha256: '' });
    expect(t.central(12_345)).toMatchObject({ crc32: 0xdeadbeef, compressedSize: 5, uncompressedSize: 2 ** 40, offset: 12_345_000, descriptor: false });
  });
});
