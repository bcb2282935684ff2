import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, readerFor } from '../../../core/import/detect';
import { FIXTURES } from './collect';
import { writeZip } from './zip';

const tmp = mkdtempSync(join(tmpdir(), 'detect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('detectFormat', () => {
  it('tells each fixture apart', async () => {
    expect(await detectFormat(join(FIXTURES, 'enex', 'family.enex'))).toBe('enex');
    expect(await detectFormat(join(FIXTURES, 'keep', 'Takeout'))).toBe('keep');
    expect(await detectFormat(join(FIXTURES, 'keep', 'Takeout', 'Keep'))).toBe('keep');
    expect(await detectFormat(join(FIXTURES, 'keep'))).toBe('keep'); // the folder Takeout was unpacked into
    expect(await detectFormat(join(FIXTURES, 'joplin'))).toBe('joplin'); // a folder of .md, yet not Markdown notes
    expect(await detectFormat(join(FIXTURES, 'obsidian'))).toBe('markdown');
  });

  it('recognises a MemoryOS export ZIP by manifest.json + manifest.sig at its root, and only that', async () => {
    const ours = join(tmp, 'export.zip');
    writeZip(ours, { 'manifest.json': '{"format":"memoryos-export"}', 'manifest.sig': 'c2ln', 'memories/01J.json': '{}' });
    expect(await detectFormat(ours)).toBe('memoryos');
    expect(readerFor('memoryos')).toBeUndefined(); // read by the export module, not here

    const nested = join(tmp, 'nested.zip');
    writeZip(nested, { 'backup/manifest.json': '{}', 'backup/manifest.sig': 'x' });
    expect(await detectFormat(nested)).toBeNull();
    const unsigned = join(tmp, 'unsigned.zip');
    writeZip(unsigned, { 'manifest.json': '{}' });
    expect(await detectFormat(unsigned)).toBeNull();
  });

  it('says null for what it does not know, and for a path that is not there', async () => {
    const txt = join(tmp, 'notes.txt');
    writeFileSync(txt, 'hello');
    expect(await detectFormat(txt)).toBeNull();
    const fakeZip = join(tmp, 'broken.zip');
    writeFileSync(fakeZip, Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(await detectFormat(fakeZip)).toBeNull();
    expect(await detectFormat(join(tmp, 'nope'))).toBeNull();
    expect(await detectFormat(mkdtempSync(join(tmp, 'empty-')))).toBeNull();
  });

  it('gives each readable format its reader', () => {
    for (const f of ['markdown', 'enex', 'keep', 'joplin'] as const) expect(readerFor(f)?.format).toBe(f);
  });
});
