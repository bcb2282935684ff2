import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachmentUrl } from '../../../core/import/attachment-ref';
import { enex } from '../../../core/import/enex';
import { byTitle, FIXTURES, readAll, sha256OfFile } from './collect';

const FILE = join(FIXTURES, 'enex', 'family.enex');
const PIE = sha256OfFile(join(FIXTURES, 'enex', 'pie.png'));
const PDF = sha256OfFile(join(FIXTURES, 'enex', 'packing-list.pdf'));

describe('ENEX reader (fixture family.enex)', () => {
  it('brings every good note with its title, text, tags, dates and attachments', async () => {
    const r = await readAll(enex, FILE);
    expect(r.items.map((i) => i.title)).toEqual(["Grandma's apple pie", 'Trip packing list', 'Wifi at the cabin']);

    const pie = byTitle(r, "Grandma's apple pie");
    expect(pie.source).toMatchObject({ format: 'enex', path: 'family.enex#1' });
    expect(pie.tags).toEqual(['recipes', 'family']);
    expect(pie.created_at).toBe('2023-11-05T10:15:00.000Z');
    expect(pie.updated_at).toBe('2023-11-06T08:30:00.000Z');
    expect(pie.body).toContain('**Serves 8.** From Grandma Rosa\'s card & her notes.');
    expect(pie.body).toContain('## Ingredients\n\n- 6 apples (Boskoop)\n- 200 g butter');
    expect(pie.body).toContain('1. Rub butter into flour.\n2. Bake at 180 °C for 45 minutes.');
    expect(pie.body).toContain(`![pie.png](${attachmentUrl(PIE)})`); // en-media → the attachment, by MD5 → SHA-256
    expect(pie.body).toContain('Source: <https://example.com/grandma-rosa>');
    expect(pie.attachments.map(({ name, mime, size, sha256 }) => ({ name, mime, size, sha256 }))).toEqual([
      { name: 'pie.png', mime: 'image/png', size: 83, sha256: PIE },
    ]);
    expect(r.streamed.get('family.enex#1')).toEqual([{ sha256: PIE, size: 83 }]); // what open() streams back

    const trip = byTitle(r, 'Trip packing list');
    expect(trip.body).toContain('- [x] Passports\n- [ ] Train tickets\n- [ ] Phone charger');
    expect(trip.body).toContain(`Printed list: [packing-list.pdf](${attachmentUrl(PDF)})`);
    expect(trip.tags).toEqual(['travel']);
    expect(trip.places).toEqual(['Lisbon']);
    expect(trip.occurred_at).toBe('2024-05-12T00:00:00.000Z');
    expect(trip.attachments[0]).toMatchObject({ name: 'packing-list.pdf', mime: 'application/pdf', sha256: PDF });
    expect(r.streamed.get('family.enex#2')).toEqual([{ sha256: PDF, size: 601 }]);

    const wifi = byTitle(r, 'Wifi at the cabin');
    expect(wifi.body).toBe('Network: **Cabin-5G**\n\nThe router is behind the bookshelf.');
    expect(wifi.source.path).toBe('family.enex#4');
    expect(wifi.attachments).toEqual([]);
  });

  it('reports the unclosed note as a failure with its place and a reason, in order, and goes on', async () => {
    const r = await readAll(enex, FILE);
    expect(r.failures).toEqual([{ path: 'family.enex#3', reason: expect.stringMatching(/^"Broken draft": the note is not closed/) }]);
    expect(r.order).toEqual(['family.enex#1', 'family.enex#2', 'FAILED family.enex#3', 'family.enex#4']);
  });

  it('gives the same source.hash on a second read, a different one per note', async () => {
    const a = (await readAll(enex, FILE)).items.map((i) => i.source.hash);
    const b = (await readAll(enex, FILE)).items.map((i) => i.source.hash);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    for (const h of a) expect(h).toMatch(/^[0-9a-f]{64}$/);
  });

  it('removes its spooled resources once the reading is over (and each as the reading moves on)', async () => {
    const dir = join(tmpdir(), `enex-spool-${process.pid}`);
    const { mkdirSync, rmSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    try {
      const seen: number[] = [];
      for await (const ev of enex.read(FILE, { tempDir: dir })) {
        if ('item' in ev) seen.push(readdirSync(dir).flatMap((d) => readdirSync(join(dir, d))).length);
      }
      // the fixture is one 64 KiB chunk, so both resources are spooled when the first note is handed
      // over; each is deleted as soon as its note has been consumed
      expect(seen).toEqual([2, 1, 0]);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cleans up when the consumer stops early', async () => {
    const dir = join(tmpdir(), `enex-stop-${process.pid}`);
    const { mkdirSync, rmSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    try {
      for await (const ev of enex.read(FILE, { tempDir: dir })) { if ('item' in ev) break; }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a note whose resource has damaged base64, a truncated file fails its last note, the rest arrive', async () => {
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'enex-bad-'));
    try {
      const note = (title: string, data?: string) => `<note><title>${title}</title><content><![CDATA[<en-note><div>${title}</div></en-note>]]></content>` +
        (data ? `<resource><data encoding="base64">${data}</data><mime>image/png</mime></resource>` : '') + '</note>';
      const f = join(dir, 'x.enex');
      writeFileSync(f, `<?xml version="1.0" encoding="UTF-8"?>\n<en-export>${note('one')}${note('two', 'iVBO*Rw0K')}${note('three')}<note><title>four</title><content>`);
      const r = await readAll(enex, f);
      expect(r.items.map((i) => i.title)).toEqual(['one', 'three']);
      expect(r.failures).toEqual([
        { path: 'x.enex#2', reason: '"two": resource 1: invalid base64 data' },
        { path: 'x.enex#4', reason: '"four": the file ends inside this note (it is not closed)' },
      ]);
      expect(existsSync(f)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not ENEX', async () => {
    await expect(readAll(enex, join(FIXTURES, 'enex', 'pie.png'))).rejects.toThrow(/not an Evernote export/);
  });
});

describe('ENEX reader, around sax', () => {
  it('decodes a resource whatever chunk boundary its <data> straddles, and is not fooled by "<data>" inside note text', async () => {
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const dir = mkdtempSync(join(tmpdir(), 'enex-edge-'));
    try {
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
      const sha = createHash('sha256').update(bytes).digest('hex');
      const md5 = createHash('md5').update(bytes).digest('hex');
      const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\n');
      const head = '<?xml version="1.0" encoding="UTF-8"?>\n<en-export>';
      const note = (pad: string) => `<note><title>t</title><content><![CDATA[<en-note><div>${pad}use &lt;data&gt; or <data> here</div><en-media hash="${md5}" type="image/png"/></en-note>]]></content>` +
        `<resource><data encoding="base64">\n${b64}\n</data><mime>image/png</mime></resource></note>`;
      for (let shift = -8; shift <= 8; shift++) {
        // place "<data" of the resource around the 64 KiB boundary the reader reads in
        const probe = head + note('');
        const at = probe.indexOf('<data encoding');
        const pad = 'x'.repeat(65536 + shift - at);
        const f = join(dir, `s${shift}.enex`);
        writeFileSync(f, head + note(pad) + '</en-export>');
        const r = await readAll(enex, f);
        expect(r.failures).toEqual([]);
        expect(r.items[0]!.attachments.map((a) => a.sha256)).toEqual([sha]);
        expect(r.streamed.get(`s${shift}.enex#1`)).toEqual([{ sha256: sha, size: 3000 }]);
        expect(r.items[0]!.body).toContain(`(attachment:${sha})`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
