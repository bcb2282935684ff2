import { copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeSync, closeSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCrypto, random, sign } from '../../../core/crypto/sodium';
import {
  createDecryptStream, createEncryptStream, decryptArchive, ENCRYPTED_HEADER_BYTES, ENCRYPTED_MAGIC, EncryptedArchiveError, isEncryptedArchive,
  openArchive, verifyExport, writeManifest,
} from '../../../core/privacy/archive';
import { pythonWithNacl, runChecker, testDevice, writeFixtureArchive, fixture, type TestDevice } from '../../helpers/export-fixture';

const PASS = 'correct horse battery staple';
const FAST_KDF = () => ({ salt: random(16), opslimit: 1, memlimit: 8192 });
let dir: string;
let device: TestDevice;
let enc: string;

beforeAll(async () => {
  await initCrypto();
  dir = mkdtempSync(join(tmpdir(), 'mos-enc-'));
  device = testDevice();
  enc = join(dir, 'export.zip.enc');
  await writeFixtureArchive(enc, device, { encrypt: { passphrase: PASS } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function roundTrip(plain: Buffer, chunkSize: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const e = createEncryptStream({ passphrase: PASS, chunkSize, kdf: FAST_KDF() });
  for await (const c of Readable.from([plain]).pipe(e) as AsyncIterable<Buffer>) parts.push(c);
  const sealed = Buffer.concat(parts);
  const out: Buffer[] = [];
  // feed it back in odd-sized pieces
  const pieces: Buffer[] = [];
  for (let off = 0; off < sealed.length; off += 777) pieces.push(sealed.subarray(off, off + 777));
  for await (const c of Readable.from(pieces).pipe(createDecryptStream(PASS)) as AsyncIterable<Buffer>) out.push(c);
  return Buffer.concat(out);
}

const flip = (path: string, offset: number): void => {
  const fd = openSync(path, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset);
  b[0] = b[0]! ^ 0x80;
  writeSync(fd, b, 0, 1, offset);
  closeSync(fd);
};

describe('the encrypted form', () => {
  it('round-trips every length around the chunk boundaries', async () => {
    const cs = 1024;
    for (const n of [0, 1, cs - 1, cs, cs + 1, 3 * cs, 3 * cs + 17]) {
      const plain = Buffer.from(random(n));
      expect((await roundTrip(plain, cs)).equals(plain), `length ${n}`).toBe(true);
    }
  });

  it('writes a 64-byte header (magic, version, Argon2id INTERACTIVE limits, 64 KiB chunks) and no plaintext', async () => {
    const bytes = readFileSync(enc);
    expect(bytes.subarray(0, 8).equals(ENCRYPTED_MAGIC)).toBe(true);
    expect(bytes[8]).toBe(1);
    expect(bytes[9]).toBe(2); // Argon2id v1.3
    expect(bytes.readUInt32LE(12)).toBe(2); // crypto_pwhash_OPSLIMIT_INTERACTIVE
    expect(bytes.readUInt32LE(16)).toBe(64 * 1024 * 1024); // crypto_pwhash_MEMLIMIT_INTERACTIVE
    expect(bytes.readUInt32LE(20)).toBe(64 * 1024);
    expect(bytes.includes(Buffer.from('peanuts'))).toBe(false);
    expect(bytes.includes(Buffer.from('manifest.json'))).toBe(false);
    expect(await isEncryptedArchive(enc)).toBe(true);
  });

  it('verifyExport decrypts it as a stream and finds it valid; decrypted, the Python checker agrees', async () => {
    expect(await verifyExport(enc, { passphrase: PASS, publicKey: device.publicKeyB64 })).toMatchObject({ valid: true, files: 22, encrypted: true });
    expect(await verifyExport(enc)).toMatchObject({ valid: false, first_bad: { path: enc, reason: 'passphrase_required' } });
    const plain = join(dir, 'decrypted.zip');
    await decryptArchive(enc, plain, PASS);
    expect((statSync(plain).mode & 0o777)).toBe(0o600);
    expect(await verifyExport(plain, { publicKey: device.publicKeyB64 })).toMatchObject({ valid: true, files: 22, encrypted: false });
    if (pythonWithNacl()) expect(runChecker(plain, device.publicKeyB64).code).toBe(0);
  });

  it('a wrong passphrase fails cleanly: a named reason, no output file left', async () => {
    expect(await verifyExport(enc, { passphrase: 'wrong passphrase' })).toMatchObject({ valid: false, first_bad: { path: enc, reason: 'wrong_passphrase' } });
    const out = join(dir, 'wrong.zip');
    await expect(decryptArchive(enc, out, 'wrong passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(existsSync(out)).toBe(false);
  });

  it('a flipped byte, a truncated file or bytes after the end fail', async () => {
    // several 64 KiB blocks: an attachment-like file of random bytes, stored
    const big = join(dir, 'big.zip.enc');
    await writeFixtureArchive(big, device, { encrypt: { passphrase: PASS }, extra: [{ path: 'attachments/photo.jpg', data: Buffer.from(random(300_000)), compress: false }] });
    expect(await verifyExport(big, { passphrase: PASS })).toMatchObject({ valid: true, files: 23 });
    const size = statSync(big).size;
    const block = 64 * 1024 + 17;
    expect(size).toBeGreaterThan(ENCRYPTED_HEADER_BYTES + 4 * block);
    const cases: [string, (p: string) => void, string][] = [
      ['flipped in the third block', (p) => flip(p, ENCRYPTED_HEADER_BYTES + 2 * block + 1000), 'corrupt'],
      ['flipped in the last block', (p) => flip(p, size - 3), 'corrupt'],
      ['flipped in the first block', (p) => flip(p, ENCRYPTED_HEADER_BYTES + 10), 'wrong_passphrase'],
      ['flipped in the header (the salt)', (p) => flip(p, 30), 'wrong_passphrase'],
      ['truncated', (p) => truncateSync(p, size - 40), 'corrupt'],
      ['cut at a block boundary', (p) => truncateSync(p, ENCRYPTED_HEADER_BYTES + 2 * block), 'corrupt'],
      ['trailing bytes', (p) => appendFileSync(p, Buffer.from('more')), 'corrupt'],
    ];
    for (const [what, damage, reason] of cases) {
      const copy = join(dir, 'damaged.zip.enc');
      copyFileSync(big, copy);
      damage(copy);
      const r = await verifyExport(copy, { passphrase: PASS });
      expect(r, what).toMatchObject({ valid: false, first_bad: { path: copy, reason } });
      const out = join(dir, 'damaged.zip');
      await expect(decryptArchive(copy, out, PASS), what).rejects.toBeInstanceOf(EncryptedArchiveError);
      expect(existsSync(out), what).toBe(false);
    }
  });

  it('a plain ZIP is not taken for the encrypted form', async () => {
    const plain = join(dir, 'plain.zip');
    await writeFixtureArchive(plain, device);
    expect(await isEncryptedArchive(plain)).toBe(false);
    await expect(decryptArchive(plain, join(dir, 'x.zip'), PASS)).rejects.toMatchObject({ code: 'NOT_ENCRYPTED' });
  });

  it('a central directory larger than the tail kept from the first pass is read in a second pass', async () => {
    const path = join(dir, 'many.zip.enc');
    const w = openArchive(path, { encrypt: { passphrase: PASS } });
    for (let i = 0; i < 3000; i++) await w.addFile(`notes/${String(i).padStart(5, '0')}-a-rather-long-name.txt`, `note ${i}`);
    const f = fixture();
    await writeManifest(w, { subject: f.subject, generated_at: '2026-11-25T12:00:00.000Z', policy_version: '1.0.0', signing_device: { device_id: device.device_id, public_key: device.publicKey }, counts: {} }, (b) => sign(b, device.privateKey));
    await w.finish();
    expect(await verifyExport(path, { passphrase: PASS, tailBytes: 1 })).toMatchObject({ valid: true, files: 3000 });
    expect(await verifyExport(path, { passphrase: PASS })).toMatchObject({ valid: true, files: 3000 });
  });
});
