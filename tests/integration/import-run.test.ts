import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

/**
 * import.run (issue 12, item 1) on a real vault, with the sample exports in tests/fixtures/import
 * (written after the public format descriptions, one corrupt item in each): every note arrives
 * with its title, text, tags and dates; the corrupt one is in the report and the rest arrive; a
 * second run imports nothing new; a dry run writes nothing. Each note's files are stored with it
 * (attachment.get gives back the same SHA-256) and its text names them by their attachment ids.
 */
const FIX = join(__dirname, '..', 'fixtures', 'import');
type T = Awaited<ReturnType<typeof openTestApp>>;

async function run(t: T, params: Record<string, unknown>, as?: string): Promise<any> {
  let { job } = await t.c('import.run', params, as);
  expect(job).toMatchObject({ kind: 'import' });
  while (!['done', 'failed', 'cancelled'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 20));
    job = (await t.c('job.get', { job_id: job.job_id }, as)).job;
  }
  return job;
}

const list = async (t: T, space: string): Promise<any[]> => (await t.c('memory.list', { space_id: space, limit: 200 })).memories;
const byTitle = (ms: any[], title: string) => {
  const m = ms.find((x) => x.title === title);
  if (!m) throw new Error(`no memory "${title}" among ${ms.map((x) => x.title).join(', ')}`);
  return m;
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sourceRows = (t: T): number => (t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM import_sources').get() as { n: number }).n;

const FORMATS = [
  {
    format: 'markdown', path: 'obsidian', failed: 'Trips/Broken front matter.md', imported: 3, file: 'obsidian/attachments/garden.png',
    note: { title: 'Apple crumble (Grandma Rosa)', text: 'Best with apples from the garden', tags: ['dessert', 'family', 'Recipes/Desserts'], created_at: '2023-09-01T10:00:00.000Z', updated_at: '2023-09-03T08:30:00.000Z' },
  },
  {
    format: 'enex', path: 'enex/family.enex', failed: 'family.enex#3', imported: 3, file: 'enex/pie.png',
    note: { title: 'Grandma\'s apple pie', text: 'Serves 8', tags: ['recipes', 'family'], created_at: '2023-11-05T10:15:00.000Z', updated_at: '2023-11-06T08:30:00.000Z' },
  },
  {
    format: 'keep', path: 'keep', failed: 'Takeout/Keep/Broken note.json', imported: 3, file: 'keep/Takeout/Keep/1e8f3b7a2c4.9a1f0e6d5b3c7a28.png',
    note: { title: 'Trip to Lisbon', text: 'Tram 28 to the castle', tags: ['Travel'], created_at: '2024-05-02T18:00:00.000Z', updated_at: '2024-05-11T09:15:30.123Z' },
  },
  {
    format: 'joplin', path: 'joplin', failed: '8c7b6a5d4e3f42a1b0c9d8e7f6a5b4c3.md', imported: 2, file: 'joplin/resources/d1f6b5a4c3e2410f9a8b7c6d5e4f3a2b.png',
    note: { title: 'Chocolate cake', text: 'too much', tags: ['Recipes/Desserts', 'family'], created_at: '2023-10-01T15:30:00.000Z', updated_at: '2023-10-02T08:05:12.345Z' },
  },
] as const;

describe('import.run: each format into a real vault', () => {
  let t: T;
  beforeAll(async () => {
    t = await openTestApp();
    for (const f of FORMATS) await t.c('space.create', { kind: 'shared', name: `Import ${f.format}`, slug: `import-${f.format}` });
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  for (const f of FORMATS) {
    it(`${f.format}: detected, every note with title, text, tags and dates; the corrupt item reported and the rest imported; a second run imports nothing new`, async () => {
      const space = `shared:import-${f.format}`;
      const job = await run(t, { path: join(FIX, f.path), space_id: space });
      expect(job.status, JSON.stringify(job.error)).toBe('done');
      const r = job.result;
      expect(r).toMatchObject({ format: f.format, dry_run: false, imported: f.imported, skipped_duplicates: 0, failed_count: 1 });
      expect(r.failed).toEqual([{ path: f.failed, reason: expect.any(String) }]);
      expect(r.read).toBe(r.imported + r.skipped_duplicates + r.skipped_trashed + r.failed_count);
      expect(r.warnings.filter((w: any) => /^attachment not stored/.test(w.warning))).toEqual([]);

      const ms = await list(t, space);
      expect(ms).toHaveLength(f.imported);
      const m = byTitle(ms, f.note.title);
      expect(m.tags).toEqual(f.note.tags);
      expect(m.created_at).toBe(f.note.created_at);
      expect(m.updated_at).toBe(f.note.updated_at);
      expect(m.band).toBe('GREEN');
      const full = (await t.c('memory.get', { memory_id: m.memory_id })).memory;
      expect(full.body).toContain(f.note.text);
      // its file is stored with it, byte for byte, and the text names it by its id (what the editor opens)
      const want = sha(readFileSync(join(FIX, f.file)));
      const files = (await t.c('attachment.list', { memory_id: m.memory_id })).attachments;
      const file = files.find((x: any) => x.sha256 === want);
      expect(file, JSON.stringify(files)).toBeTruthy();
      const got = (await t.c('attachment.get', { attachment_id: file.attachment_id })).data_base64;
      expect(sha(Buffer.from(got, 'base64'))).toBe(want);
      expect(full.body).not.toMatch(/attachment:[0-9a-f]{64}/);
      // Keep's attachments have no place in the text: they are only kept with the memory
      if (f.format !== 'keep') expect(full.body).toContain(`attachment:${file.attachment_id}`);

      const again = await run(t, { path: join(FIX, f.path), space_id: space });
      expect(again.result).toMatchObject({ imported: 0, skipped_duplicates: f.imported, failed_count: 1 });
      expect(await list(t, space)).toHaveLength(f.imported);
    }, 60_000);
  }

  it('a note whose memory was erased since is imported again; one in the trash is still there and is skipped', async () => {
    const space = 'shared:import-keep';
    const ms = await list(t, space);
    const gone = byTitle(ms, 'Trip to Lisbon');
    await t.c('privacy.erase', { memory_ids: [gone.memory_id], confirm: true });
    await t.c('memory.delete', { memory_id: byTitle(ms, 'Groceries').memory_id });
    const job = await run(t, { path: join(FIX, 'keep'), space_id: space });
    expect(job.result).toMatchObject({ imported: 1, skipped_duplicates: 2 });
    const back = byTitle(await list(t, space), 'Trip to Lisbon');
    expect(back.memory_id).not.toBe(gone.memory_id);
  }, 60_000);

  it('keep: a note in the source\'s trash is not imported and is named in the report', async () => {
    const job = await run(t, { path: join(FIX, 'keep'), space_id: 'shared:import-keep', dry_run: true });
    expect(job.result.skipped_trashed).toBe(1);
    expect(job.result.warnings).toContainEqual({ path: 'Takeout/Keep/Gift ideas.json', warning: 'in the source\'s trash: not imported' });
  }, 60_000);
});

describe('import.run: dry run, limits, bands, refusals', () => {
  let t: T;
  const { dir: work, cleanup } = tempDir('memoryos-import-src-');
  beforeAll(async () => {
    t = await openTestApp();
    await t.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
  }, 60_000);
  afterAll(async () => { await t?.close(); cleanup(); });

  it('a dry run reads and reports what would be imported, and writes nothing: no memory, no source record', async () => {
    const before = sourceRows(t);
    const job = await run(t, { path: join(FIX, 'enex', 'family.enex'), space_id: 'shared:family', dry_run: true });
    expect(job.result).toMatchObject({ format: 'enex', dry_run: true, read: 4, imported: 3, skipped_duplicates: 0, failed_count: 1 });
    expect(await list(t, 'shared:family')).toHaveLength(0);
    expect(sourceRows(t)).toBe(before);
    // and the real run after it imports them all: the dry run left no trace that would skip them
    const real = await run(t, { path: join(FIX, 'enex', 'family.enex'), space_id: 'shared:family' });
    expect(real.result).toMatchObject({ dry_run: false, imported: 3, skipped_duplicates: 0 });
    expect(sourceRows(t)).toBe(before + 3);
    // a dry run now would skip all three
    const dry2 = await run(t, { path: join(FIX, 'enex', 'family.enex'), space_id: 'shared:family', dry_run: true });
    expect(dry2.result).toMatchObject({ imported: 0, skipped_duplicates: 3 });
  }, 60_000);

  it('two identical notes in one ENEX are one (their content is their only identity), in a dry run and in a real one', async () => {
    const lines = readFileSync(join(FIX, 'enex', 'family.enex'), 'utf8').split('\n');
    const note = lines.slice(74, lines.length - 2).join('\n'); // the last note, "Wifi at the cabin"
    expect(note).toContain('<title>Wifi at the cabin</title>');
    const src = join(work, 'twice.enex');
    writeFileSync(src, [...lines.slice(0, 3), note, note, '</en-export>', ''].join('\n'));
    await t.c('space.create', { kind: 'shared', name: 'Twice', slug: 'twice' });
    const dry = await run(t, { path: src, space_id: 'shared:twice', dry_run: true });
    expect(dry.result).toMatchObject({ read: 2, imported: 1, skipped_duplicates: 1 });
    const real = await run(t, { path: src, space_id: 'shared:twice' });
    expect(real.result).toMatchObject({ read: 2, imported: 1, skipped_duplicates: 1 });
    expect(await list(t, 'shared:twice')).toHaveLength(1);
  }, 60_000);

  it('the source table holds keyed hashes: not the SHA-256 of any source item', async () => {
    const rows = t.app.ctx.db.prepare('SELECT source_key FROM import_sources').all() as { source_key: Buffer }[];
    expect(rows.length).toBeGreaterThan(0);
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const raw = createHash('sha256').update(readFileSync(join(FIX, 'enex', 'family.enex'))).digest('hex');
    for (const r of rows) { expect(r.source_key).toHaveLength(32); expect(r.source_key.toString('hex')).not.toBe(raw); }
  });

  it('fits items to the API limits: a 600-character title is shortened and kept whole in the text, 150 tags become 100 and the rest are listed, a text over 1,000,000 characters fails alone', async () => {
    const src = join(work, 'limits');
    mkdirSync(src, { recursive: true });
    const longTitle = 'T'.repeat(600);
    const tags = Array.from({ length: 150 }, (_, i) => `tag${i}`);
    writeFileSync(join(src, 'long.md'), `---\ntitle: ${longTitle}\ntags: [${tags.join(', ')}]\ncreated: 2020-01-02T03:04:05Z\n---\nthe body\n`);
    writeFileSync(join(src, 'huge.md'), 'x'.repeat(1_000_001));
    writeFileSync(join(src, 'fine.md'), 'a fine note\n');
    await t.c('space.create', { kind: 'shared', name: 'Limits', slug: 'limits' });
    const job = await run(t, { path: src, space_id: 'shared:limits' });
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ format: 'markdown', read: 3, imported: 2, failed_count: 1 });
    expect(job.result.failed).toEqual([{ path: 'huge.md', reason: expect.stringMatching(/at most 1000000/) }]);
    const ms = await list(t, 'shared:limits');
    const long = ms.find((m) => m.title.startsWith('TTT'));
    expect([...long.title]).toHaveLength(500);
    expect(long.tags).toHaveLength(100);
    expect(long.created_at).toBe('2020-01-02T03:04:05.000Z');
    const body = (await t.c('memory.get', { memory_id: long.memory_id })).memory.body as string;
    expect(body.startsWith(longTitle)).toBe(true);
    expect(body).toContain('tag149');
    expect(job.result.warnings.map((w: any) => w.warning)).toEqual(expect.arrayContaining([expect.stringMatching(/title was longer than 500/), expect.stringMatching(/50 tags beyond the first 100/)]));
  }, 60_000);

  it('band: every memory gets the band asked for; a role that may not use it is refused at the call; a bad path or format is INVALID_INPUT at the call', async () => {
    await t.c('space.create', { kind: 'shared', name: 'Amber', slug: 'amber' });
    const job = await run(t, { path: join(FIX, 'keep'), space_id: 'shared:amber', band: 'AMBER' });
    expect(job.result.imported).toBe(3);
    expect(new Set((await list(t, 'shared:amber')).map((m) => m.band))).toEqual(new Set(['AMBER']));

    const child = (await t.c('member.create', { name: 'Leo' })).member.member_id;
    await t.c('space.addMember', { space_id: 'shared:amber', member_id: child, role: 'child' });
    await expect(t.c('import.run', { path: join(FIX, 'keep'), space_id: 'shared:amber', band: 'RED' }, child)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.c('import.run', { path: 'relative/path', space_id: 'shared:amber' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.c('import.run', { path: join(work, 'nothing-here'), space_id: 'shared:amber' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    mkdirSync(join(work, 'empty'), { recursive: true });
    await expect(t.c('import.run', { path: join(work, 'empty'), space_id: 'shared:amber' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/format/) });
    await expect(t.c('import.run', { path: join(FIX, 'keep'), space_id: 'shared:nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // the wrong format named: the reader refuses the source and the job fails with its reason, nothing written
    const wrong = await run(t, { path: join(FIX, 'keep'), space_id: 'shared:amber', format: 'joplin' });
    expect(wrong.status).toBe('failed');
    expect(wrong.error.code).toBe('INVALID_INPUT');
  }, 60_000);

  it('a file over the attachment size cap is not stored: the note arrives, the report names the file by its hash, its link keeps the hash', async () => {
    await t.c('settings.set', { settings: { attachment_max_bytes: 100 } });
    try {
      await t.c('space.create', { kind: 'shared', name: 'Capped', slug: 'capped' });
      const job = await run(t, { path: join(FIX, 'enex', 'family.enex'), space_id: 'shared:capped' });
      expect(job.result.imported).toBe(3);
      // pie.png (83 bytes) fits, packing-list.pdf (601 bytes) does not
      expect(job.result.warnings).toEqual([{ path: 'family.enex#2', warning: 'attachment not stored (sha256 e1cb9712c311…, 601 bytes): larger than the 100-byte limit' }]);
      const packing = byTitle(await list(t, 'shared:capped'), 'Trip packing list');
      expect((await t.c('attachment.list', { memory_id: packing.memory_id })).attachments).toEqual([]);
      expect((await t.c('memory.get', { memory_id: packing.memory_id })).memory.body).toContain('attachment:e1cb9712c3117947655b8b5b5284d460a3ffcbe9405c3a310d0d9045024dbca4');
    } finally {
      await t.c('settings.set', { settings: { attachment_max_bytes: 268435456 } });
    }
  }, 60_000);

  it('job.cancel stops an import between items: what was imported stays, the job ends cancelled', async () => {
    const src = join(work, 'many');
    mkdirSync(src, { recursive: true });
    for (let i = 0; i < 400; i++) writeFileSync(join(src, `note-${String(i).padStart(3, '0')}.md`), `note ${i}\n`);
    await t.c('space.create', { kind: 'shared', name: 'Many', slug: 'many' });
    const { job } = await t.c('import.run', { path: src, space_id: 'shared:many' });
    // asked at once: the job checks between items, so it stops before the 400th whatever the machine's speed
    await t.c('job.cancel', { job_id: job.job_id });
    let j = job;
    while (!['done', 'failed', 'cancelled'].includes(j.status)) { await new Promise((r) => setTimeout(r, 20)); j = (await t.c('job.get', { job_id: job.job_id })).job; }
    expect(j.status).toBe('cancelled');
    expect(j.result).toBeNull();
    const n = (await t.c('memory.list', { space_id: 'shared:many', limit: 500 })).memories.length;
    expect(n).toBeLessThan(400);
    // whatever was imported is whole: a re-run brings the rest, and skips exactly what is there
    const rest = await run(t, { path: src, space_id: 'shared:many' });
    expect(rest.result).toMatchObject({ imported: 400 - n, skipped_duplicates: n });
  }, 120_000);
});
