import { copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPromise, type Entry } from 'yauzl';
import { initCrypto } from '../../../core/crypto/sodium';
import {
  checkExportMemory, ExportMemoryInvalidError, exportMemoryJson, openArchive, parseManifest, renderMemoryMarkdown, renderReadme,
  verifyExport, verifyManifest, ArchiveAbortedError,
} from '../../../core/privacy/archive';
import { validatorFor } from '../../../core/schemas/validator';
import { fixture, pythonWithNacl, readmeParams, runChecker, testDevice, writeFixtureArchive, type TestDevice } from '../../helpers/export-fixture';

let dir: string;
let device: TestDevice;
let archive: string;
const PY = pythonWithNacl();
const f = fixture();
const LEO_SECRET = "Leo's secret fort";

beforeAll(async () => {
  await initCrypto();
  dir = mkdtempSync(join(tmpdir(), 'mos-archive-'));
  device = testDevice();
  archive = join(dir, 'export.zip');
  await writeFixtureArchive(archive, device);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** the entries of a ZIP with their contents (small archives only) */
async function entries(path: string): Promise<Map<string, { entry: Entry; data: Buffer; dataStart: number }>> {
  const zip = await openPromise(path, { lazyEntries: true, autoClose: false });
  const out = new Map<string, { entry: Entry; data: Buffer; dataStart: number }>();
  try {
    for await (const entry of zip.eachEntry() as AsyncIterable<Entry>) {
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
      const parts: Buffer[] = [];
      for await (const c of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) parts.push(c);
      out.set(entry.fileName, { entry, data: Buffer.concat(parts), dataStart: fileDataStart });
    }
  } finally {
    zip.close();
  }
  return out;
}

function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] = b[0]! ^ 0x01;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

describe('the export archive', () => {
  it('holds one JSON (valid against export-memory.schema.json) and one Markdown file per memory, the README and the other files', async () => {
    const got = await entries(archive);
    const validate = validatorFor('storage/export-memory.schema.json');
    for (const m of f.memories) {
      const json = JSON.parse(got.get(`memories/${m.memory_id}.json`)!.data.toString('utf8'));
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      expect(json).toEqual(m);
      const md = got.get(`memories/${m.memory_id}.md`)!.data.toString('utf8');
      expect(md.startsWith('---\n')).toBe(true);
    }
    expect([...got.keys()].sort()).toEqual([
      'README.md', 'audit.json', 'devices.json', 'manifest.json', 'manifest.sig', 'members.json',
      ...f.memories.flatMap((m) => [`memories/${m.memory_id}.json`, `memories/${m.memory_id}.md`]),
      'settings.json', 'spaces.json',
    ].sort());
    const manifest = parseManifest(got.get('manifest.json')!.data);
    expect(manifest).toMatchObject({
      format: 'memoryos-export', format_version: '1.0.0', subject: f.subject, app_version: '0.1.0', policy_version: '1.0.0',
      schema_versions: { 'storage/export-memory.schema.json': '1.0.0' },
      signing_device: { device_id: device.device_id, public_key: device.publicKeyB64 },
      counts: { memories: 8, markdown: 8, attachments: 0, others_left_out: 1, black_included: 1 },
    });
    expect(manifest.files.map((x) => x.path)).not.toContain('manifest.json');
    expect(manifest.files).toHaveLength(got.size - 2);
    expect(verifyManifest(got.get('manifest.json')!.data, got.get('manifest.sig')!.data.toString(), device.publicKey)).toBe(true);
    // Leo's memory was counted, not copied
    for (const { data } of got.values()) expect(data.toString('utf8')).not.toContain(LEO_SECRET);
  });

  it('verifyExport: valid, with the manifest key and with the key device.list would return', async () => {
    expect(await verifyExport(archive)).toMatchObject({ valid: true, files: 2 * 8 + 6, encrypted: false, subject: f.subject });
    expect(await verifyExport(archive, { publicKey: device.publicKeyB64 })).toMatchObject({ valid: true, files: 22 });
  });

  it.skipIf(!PY)('the independent Python checker (zipfile + hashlib + PyNaCl) finds it valid', () => {
    const { code, report } = runChecker(archive, device.publicKeyB64, ['--must-contain', 'Leo: peanuts', '--must-contain', 'a kayak', '--must-not-contain', LEO_SECRET]);
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks).toMatchObject({
      signature_valid: true, key_matches: true, files_listed: 22, files_matching: 22,
      memory_json: { count: 8 }, markdown: { count: 8 },
      readme: { present: true, names: { purposes: true, categories: true, recipients: true, retention: true, rights: true, complaint: true, source: true, automated_decisions: true } },
      must_contain: { 'Leo: peanuts': true, 'a kayak': true }, must_not_contain: { [LEO_SECRET]: true },
    });
  });

  it('one byte of one memory changed: verifyExport names that file, the Python checker fails on it', async () => {
    const copy = join(dir, 'tampered.zip');
    copyFileSync(archive, copy);
    const target = `memories/${f.memories[1]!.memory_id}.json`;
    const { dataStart, entry } = (await entries(copy)).get(target)!;
    flipByte(copy, dataStart + Math.floor(entry.compressedSize / 2));
    const r = await verifyExport(copy);
    expect(r.valid).toBe(false);
    if (r.valid) return;
    expect(r.first_bad.path).toBe(target);
    expect(['sha256_mismatch', 'corrupt']).toContain(r.first_bad.reason);
    if (PY) {
      const { code, report } = runChecker(copy, device.publicKeyB64);
      expect(code).toBe(1);
      expect(report.problems.map((p) => p.path)).toContain(target);
    }
  });

  it('a stored (uncompressed) entry changed by one byte is a sha256_mismatch', async () => {
    const path = join(dir, 'stored.zip');
    const w = openArchive(path, { compress: false });
    await w.addFile('a.txt', 'hello world');
    const { writeManifest } = await import('../../../core/privacy/archive');
    const { sign } = await import('../../../core/crypto/sodium');
    await writeManifest(w, { subject: f.subject, generated_at: '2026-11-25T12:00:00.000Z', policy_version: '1.0.0', signing_device: { device_id: device.device_id, public_key: device.publicKey }, counts: {} }, (b) => sign(b, device.privateKey));
    await w.finish();
    const { dataStart } = (await entries(path)).get('a.txt')!;
    flipByte(path, dataStart + 3);
    expect(await verifyExport(path)).toMatchObject({ valid: false, first_bad: { path: 'a.txt', reason: 'sha256_mismatch' } });
  });

  it('an unlisted extra file is refused, by verifyExport and by the Python checker', async () => {
    const path = join(dir, 'unlisted.zip');
    await writeFixtureArchive(path, device, { afterManifest: async (w) => { await w.addFile('memories/extra.txt', 'not in the manifest'); } });
    expect(await verifyExport(path)).toMatchObject({ valid: false, first_bad: { path: 'memories/extra.txt', reason: 'unlisted' } });
    if (PY) {
      const { code, report } = runChecker(path, device.publicKeyB64);
      expect(code).toBe(1);
      expect(report.checks.unlisted).toEqual(['memories/extra.txt']);
    }
  });

  it('a listed file that is not in the archive is refused', async () => {
    const path = join(dir, 'phantom.zip');
    await writeFixtureArchive(path, device, { phantom: [{ path: 'attachments/gone.jpg', size: 3, sha256: 'a'.repeat(64) }] });
    expect(await verifyExport(path)).toMatchObject({ valid: false, first_bad: { path: 'attachments/gone.jpg', reason: 'missing' } });
  });

  it('a wrong key is refused: another device key passed, or the manifest re-signed by another key', async () => {
    const other = testDevice();
    expect(await verifyExport(archive, { publicKey: other.publicKeyB64 })).toMatchObject({ valid: false, first_bad: { path: 'manifest.sig', reason: 'wrong_key' } });
    if (PY) {
      const { code, report } = runChecker(archive, other.publicKeyB64);
      expect(code).toBe(1);
      expect(report.checks.signature_valid).toBe(false);
      expect(report.checks.key_matches).toBe(false);
    }
    // an archive whose manifest claims the device's key but is signed by another
    const forged = join(dir, 'forged.zip');
    const liar: TestDevice = { ...other, publicKey: device.publicKey, publicKeyB64: device.publicKeyB64 };
    await expect(writeFixtureArchive(forged, liar)).rejects.toThrow(/does not verify/);
    expect(existsSync(forged)).toBe(false);
  });

  it('a manifest.sig that does not match the manifest bytes is a bad_signature', async () => {
    const path = join(dir, 'badsig.zip');
    const other = testDevice();
    const { sign } = await import('../../../core/crypto/sodium');
    const { buildManifest, MANIFEST_PATH, SIGNATURE_PATH } = await import('../../../core/privacy/archive');
    const { b64 } = await import('../../../core/crypto/sodium');
    const w = openArchive(path);
    await w.addFile('a.txt', 'x');
    const { bytes } = buildManifest({ subject: f.subject, generated_at: 'now', policy_version: '1.0.0', signing_device: { device_id: device.device_id, public_key: device.publicKey }, counts: {}, files: w.files });
    await w.addFile(MANIFEST_PATH, bytes);
    await w.addFile(SIGNATURE_PATH, b64(sign(bytes, other.privateKey)));
    await w.finish();
    expect(await verifyExport(path)).toMatchObject({ valid: false, first_bad: { path: 'manifest.sig', reason: 'bad_signature' } });
  });

  it('refuses a file that is not a ZIP, and a ZIP without a manifest', async () => {
    const junk = join(dir, 'junk.zip');
    writeFileSync(junk, 'not a zip at all');
    expect(await verifyExport(junk)).toMatchObject({ valid: false, first_bad: { path: junk, reason: 'not_a_zip' } });
    expect(await verifyExport(join(dir, 'nope.zip'))).toMatchObject({ valid: false, first_bad: { reason: 'not_found' } });
    const bare = join(dir, 'bare.zip');
    const w = openArchive(bare);
    await w.addFile('a.txt', 'x');
    await w.finish();
    expect(await verifyExport(bare)).toMatchObject({ valid: false, first_bad: { path: 'manifest.json', reason: 'missing' } });
  });
});

describe('zip-writer', () => {
  it('abort() leaves no file, and a pending addFile rejects', async () => {
    const path = join(dir, 'aborted.zip');
    const w = openArchive(path);
    await w.addFile('a.txt', 'hello');
    const slow = new PassThrough();
    slow.write(Buffer.alloc(100_000, 1));
    const pending = w.addFile('big.bin', slow);
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(w.partialPath)).toBe(true);
    const rejected = expect(pending).rejects.toBeInstanceOf(ArchiveAbortedError);
    expect(await w.abort()).toBe(true);
    await rejected;
    expect(existsSync(w.partialPath)).toBe(false);
    expect(existsSync(path)).toBe(false);
    await expect(w.addFile('b.txt', 'x')).rejects.toThrow();
    await expect(w.finish()).rejects.toThrow();
  });

  it('abort() after finish() changes nothing', async () => {
    const path = join(dir, 'kept.zip');
    const w = openArchive(path);
    await w.addFile('a.txt', 'hello');
    const done = w.finish();
    expect(await w.abort()).toBe(true); // before the rename: aborted
    await expect(done).rejects.toBeInstanceOf(ArchiveAbortedError);
    expect(existsSync(path)).toBe(false);
    const w2 = openArchive(path);
    await w2.addFile('a.txt', 'hello');
    await w2.finish();
    expect(await w2.abort()).toBe(false);
    expect(existsSync(path)).toBe(true);
  });

  it('a failing source stream fails the archive and removes the partial file', async () => {
    const path = join(dir, 'failing.zip');
    const w = openArchive(path);
    const bad = new Readable({ read() { this.destroy(new Error('disk read error')); } });
    await expect(w.addFile('x.bin', bad)).rejects.toThrow('disk read error');
    await expect(w.finish()).rejects.toThrow('disk read error');
    expect(existsSync(w.partialPath)).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses duplicates, unsafe names and an existing target; hashes streamed and buffered entries alike', async () => {
    const path = join(dir, 'names.zip');
    writeFileSync(path, 'already here');
    const clobber = openArchive(path);
    await expect(clobber.addFile('a.txt', 'x')).resolves.toBeDefined();
    await expect(clobber.finish()).rejects.toThrow(/exists/);
    expect(readFileSync(path, 'utf8')).toBe('already here');
    rmSync(path);
    const w = openArchive(path);
    await w.addFile('a.txt', 'abc');
    await expect(w.addFile('a.txt', 'again')).rejects.toThrow(/duplicate/);
    for (const bad of ['/abs', '../up', 'a/../b', 'dir/', 'a\\b', 'c:x', '', 'a//b']) await expect(w.addFile(bad, 'x')).rejects.toThrow(TypeError);
    const streamed = await w.addFile('s.txt', Readable.from([Buffer.from('ab'), Buffer.from('c')]));
    const big = await w.addFile('big.bin', Buffer.alloc(9 * 1024 * 1024, 7)); // above the addBuffer limit: the stream path
    const { files } = await w.finish();
    const sha = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(files[0]).toEqual({ path: 'a.txt', size: 3, sha256: sha });
    expect(streamed).toEqual({ path: 's.txt', size: 3, sha256: sha });
    expect(big.size).toBe(9 * 1024 * 1024);
    const got = await entries(path);
    expect(got.get('s.txt')!.data.toString()).toBe('abc');
    expect(got.get('big.bin')!.data.equals(Buffer.alloc(9 * 1024 * 1024, 7))).toBe(true);
    expect(existsSync(path + '.partial')).toBe(false);
  });
});

describe('memories/<id>.json and .md', () => {
  it('a memory that does not match the contract is refused', () => {
    const m = { ...f.memories[0]!, redacted: false };
    expect(() => checkExportMemory(m)).toThrow(ExportMemoryInvalidError);
    expect(() => exportMemoryJson({ ...f.memories[0]!, band: 'PURPLE' as never })).toThrow(/band/);
  });

  it('writes the fields in the schema order whatever the order given', () => {
    const m = f.memories[0]!;
    const reversed = Object.fromEntries(Object.entries(m).reverse()) as typeof m;
    expect(exportMemoryJson(reversed).equals(exportMemoryJson(m))).toBe(true);
    expect(Object.keys(JSON.parse(exportMemoryJson(reversed).toString()))[0]).toBe('memory_id');
  });

  it('front matter reads back as the same strings (YAML-hostile titles), the body follows verbatim', () => {
    // characters JSON leaves raw that YAML may not: DEL, C1 controls, NEL, separators, BOM, U+FFFE
    const raw = { ...f.memories[0]!, title: 'a\u007fb\u0085c\u0090d\u2028e\u2029f\ufeffg\ufffeh: #i', tags: ['yes', 'null', '2026-01-01', '- x', '"q"'] };
    for (const m of [...f.memories, raw]) {
      const md = renderMemoryMarkdown(m);
      const lines = md.split('\n');
      const close = lines.indexOf('---', 1);
      const front = load(lines.slice(1, close).join('\n')) as Record<string, unknown>;
      const { body, ...rest } = m;
      expect(front).toEqual(rest);
      const after = lines.slice(close + 1).join('\n');
      expect(after).toBe(body ? '\n' + (body.endsWith('\n') ? body : body + '\n') : '');
    }
  });
});

describe('README.md', () => {
  it('names the Art. 15(1) items in plain words, the recipients per space and the Art. 15(4) count', () => {
    const text = renderReadme(readmeParams(f));
    for (const heading of ['## Purposes', '## Categories of data', '## Recipients', '## Retention', '## Your rights', '## Complaint', '## Source of the data', '## Automated decision-making', '## Left out of this archive']) {
      expect(text).toContain(heading);
    }
    for (const w of ['Rectification', 'Erasure', 'Restriction', 'Objection', 'supervisory authority']) expect(text).toContain(w);
    expect(text).toContain("Bob's phone (Bob, android, `01JDANDEVB0B00000000000000`)");
    expect(text).toContain('Members it syncs to: Ana (guardian), Bob (adult), Leo (child)');
    expect(text).toContain('the trash is emptied 30 days later');
    expect(text).toContain('1 memory written by other members in shared spaces you belong to was counted and left out');
    expect(text).toContain('BLACK memories **were included** (1)');
    expect(text).toContain('It is not encrypted');
    const withoutBlack = renderReadme({ ...readmeParams(f), black: { included: false, count: 2 } });
    expect(withoutBlack).toContain('BLACK memories were **not included** (2 not copied)');
  });
});
