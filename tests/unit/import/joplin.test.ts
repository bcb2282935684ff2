import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachmentUrl } from '../../../core/import/attachment-ref';
import { joplin } from '../../../core/import/joplin';
import { parseJoplinItem } from '../../../core/import/joplin-raw';
import { byTitle, FIXTURES, readAll, sha256OfFile } from './collect';

const RAW = join(FIXTURES, 'joplin');
const CAKE_SHA = sha256OfFile(join(RAW, 'resources', 'd1f6b5a4c3e2410f9a8b7c6d5e4f3a2b.png'));

describe('Joplin RAW reader (fixture joplin/)', () => {
  it('brings every note with its notebook path and tags as tags, dates, resources as attachments', async () => {
    const r = await readAll(joplin, RAW);
    expect(r.items.map((i) => i.title)).toEqual(['Chocolate cake', 'Call the plumber']);

    const cake = byTitle(r, 'Chocolate cake');
    expect(cake.source).toMatchObject({ format: 'joplin', path: '2b9a4c1d7e8f4a6b9c0d1e2f3a4b5c6d.md' });
    expect(cake.tags).toEqual(['Recipes/Desserts', 'family']); // notebook › sub-notebook, then the tag via note_tag
    expect(cake.created_at).toBe('2023-10-01T15:30:00.000Z');
    expect(cake.updated_at).toBe('2023-10-02T08:05:12.345Z');
    expect(cake.body).toContain("Mum's recipe, the one with **too much** cocoa.");
    expect(cake.body).toContain(`![cake.png](${attachmentUrl(CAKE_SHA)})`);
    expect(cake.body).toContain('Serve it after [[Call the plumber|the plumber has been]].'); // a note link → a wiki link
    expect(cake.body).not.toMatch(/\nid: |type_:/); // no property lines in the text
    expect(cake.places).toEqual(['38.722252, -9.139337']);
    expect(cake.attachments.map(({ name, mime, size, sha256 }) => ({ name, mime, size, sha256 }))).toEqual([
      { name: 'cake.png', mime: 'image/png', size: 84, sha256: CAKE_SHA },
    ]);
    expect(r.streamed.get('2b9a4c1d7e8f4a6b9c0d1e2f3a4b5c6d.md')).toEqual([{ sha256: CAKE_SHA, size: 84 }]);

    const plumber = byTitle(r, 'Call the plumber');
    expect(plumber.tags).toEqual(['Home']);
    expect(plumber.body).toBe('- [x] Call the plumber (due 2023-10-06T08:00:00.000Z)\n\nThe kitchen tap drips. Number: 555-0147.');
    expect(plumber.places).toEqual([]);
  });

  it('reports the cut-off item as a failure with its path and a reason, in its place, and goes on', async () => {
    const r = await readAll(joplin, RAW);
    expect(r.failures).toEqual([{ path: '8c7b6a5d4e3f42a1b0c9d8e7f6a5b4c3.md', reason: expect.stringMatching(/^not a Joplin item: /) }]);
    expect(r.order).toEqual(['2b9a4c1d7e8f4a6b9c0d1e2f3a4b5c6d.md', '6a5b4c3d2e1f40a9b8c7d6e5f4a3b2c1.md', 'FAILED 8c7b6a5d4e3f42a1b0c9d8e7f6a5b4c3.md']);
  });

  it('gives the same source.hash on a second read', async () => {
    const a = (await readAll(joplin, RAW)).items.map((i) => i.source.hash);
    expect((await readAll(joplin, RAW)).items.map((i) => i.source.hash)).toEqual(a);
    expect(new Set(a).size).toBe(2);
  });

  it('parses items as Joplin serialises them (title, body, escaped property values, no-title items)', () => {
    expect(parseJoplinItem('T\n\nline 1\n\nline 3\n\nid: abc\nsource_url: a\\nb\ntype_: 1')).toEqual({
      type: 1, title: 'T', body: 'line 1\n\nline 3', props: { id: 'abc', source_url: 'a\nb', type_: '1' },
    });
    expect(parseJoplinItem('id: x\nnote_id: n\ntag_id: t\ntype_: 6')).toMatchObject({ type: 6, title: '', body: '', props: { note_id: 'n' } });
    expect(() => parseJoplinItem('just text\n\nno properties here')).toThrow(/has no "key:"/);
    expect(() => parseJoplinItem('T\n\nid: x')).toThrow(/no type_/);
  });
});
