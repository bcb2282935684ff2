import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachmentUrl } from '../../../core/import/attachment-ref';
import { markdownFolder } from '../../../core/import/markdown-folder';
import { byTitle, FIXTURES, readAll, sha256OfFile } from './collect';

const VAULT = join(FIXTURES, 'obsidian');
const GARDEN = sha256OfFile(join(VAULT, 'attachments', 'garden.png'));

describe('Markdown folder reader (fixture obsidian/)', () => {
  it('brings every note with title, text, tags (front matter, inline, folder), aliases, dates and embedded files', async () => {
    const r = await readAll(markdownFolder, VAULT);
    expect(r.items.map((i) => i.source.path)).toEqual(['Recipes/Desserts/Apple crumble.md', 'Trips/Lisbon 2024.md', 'Welcome.md']);

    const crumble = byTitle(r, 'Apple crumble (Grandma Rosa)');
    expect(crumble.tags).toEqual(['dessert', 'family', 'Recipes/Desserts']); // the folder is one nested tag
    expect(crumble.aliases).toEqual(['Crumble', "Rosa's crumble"]);
    expect(crumble.created_at).toBe('2023-09-01T10:00:00.000Z');
    expect(crumble.updated_at).toBe('2023-09-03T08:30:00.000Z');
    expect(crumble.body.startsWith('Best with apples from the garden:')).toBe(true); // front matter out of the body
    expect(crumble.body).toContain(`![garden.png](${attachmentUrl(GARDEN)})`); // ![[garden.png]] found by name in attachments/
    expect(crumble.body).toContain('See [[Welcome]].'); // wiki links kept
    expect(crumble.body).toContain('```markdown\n![[not-an-embed.png]]\n```'); // code untouched
    expect(crumble.attachments.map(({ name, mime, size, sha256 }) => ({ name, mime, size, sha256 }))).toEqual([
      { name: 'garden.png', mime: 'image/png', size: 84, sha256: GARDEN },
    ]);
    expect(r.streamed.get('Recipes/Desserts/Apple crumble.md')).toEqual([{ sha256: GARDEN, size: 84 }]);

    const lisbon = byTitle(r, 'Lisbon 2024'); // no title in the front matter: the file name
    expect(lisbon.tags).toEqual(['travel', 'Trips']);
    expect(lisbon.people).toEqual(['Ana', 'Leo']);
    expect(lisbon.places).toEqual(['Lisbon']);
    expect(lisbon.occurred_at).toBe('2024-05-12T00:00:00.000Z');
    expect(lisbon.created_at).toMatch(/^\d{4}-\d\d-\d\dT/); // from the file, there being none in the front matter
    expect(lisbon.body).toContain(`![Garden view](${attachmentUrl(GARDEN)})`); // ../attachments/garden.png, relative
    expect(lisbon.body.startsWith('---\ndate: 2024-05-12\n')).toBe(true); // an unknown field (rating): the block is kept
    expect(lisbon.body).toContain('![[missing-photo.jpg]]');
    expect(lisbon.warnings).toEqual(['embedded file not found: missing-photo.jpg']);
    expect(lisbon.attachments.map((a) => a.sha256)).toEqual([GARDEN]);

    const welcome = byTitle(r, 'Welcome');
    expect(welcome.tags).toEqual(['start']); // inline #start; a top-level note has no folder tag
    expect(welcome.body).toContain('[[Apple crumble]] or the [[Lisbon 2024|Lisbon trip]]');
    expect(welcome.body).toContain('`![[this]]`');
    expect(welcome.attachments).toEqual([]);
  });

  it('reports the front matter that does not parse as a failure with its path, and goes on', async () => {
    const r = await readAll(markdownFolder, VAULT);
    expect(r.failures).toEqual([{ path: 'Trips/Broken front matter.md', reason: expect.stringMatching(/^front matter does not parse: /) }]);
    expect(r.order).toEqual(['Recipes/Desserts/Apple crumble.md', 'FAILED Trips/Broken front matter.md', 'Trips/Lisbon 2024.md', 'Welcome.md']);
  });

  it('gives the same source.hash on a second read, a different one per note', async () => {
    const a = (await readAll(markdownFolder, VAULT)).items.map((i) => i.source.hash);
    const b = (await readAll(markdownFolder, VAULT)).items.map((i) => i.source.hash);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(3);
  });

  it('never takes a file from outside the folder, never runs front-matter code, skips dot-folders', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'md-outer-'));
    try {
      writeFileSync(join(outer, 'secret.txt'), 'do not import me');
      const root = join(outer, 'vault');
      mkdirSync(join(root, '.trash'), { recursive: true });
      writeFileSync(join(root, '.trash', 'old.md'), 'gone');
      writeFileSync(join(root, 'sneaky.md'), `![](../secret.txt)\n[x](${join(outer, 'secret.txt')})\n![[../secret.txt]]\n`);
      (globalThis as Record<string, unknown>).__ran = false;
      writeFileSync(join(root, 'code.md'), '---js\n{ title: (globalThis.__ran = true, "pwned") }\n---\nbody\n');
      const r = await readAll(markdownFolder, root);
      expect(r.order).toEqual(['FAILED code.md', 'sneaky.md']);
      expect(r.failures[0]!.reason).toMatch(/only YAML front matter is read/);
      expect((globalThis as Record<string, unknown>).__ran).toBe(false);
      const sneaky = r.items[0]!;
      expect(sneaky.attachments).toEqual([]);
      expect(sneaky.body).toContain('![](../secret.txt)');
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });

  it('stops when its signal is aborted', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    await expect((async () => {
      for await (const ev of markdownFolder.read(VAULT, { signal: ac.signal })) {
        seen.push('item' in ev ? ev.item.source.path : ev.failure.path);
        ac.abort(new Error('cancelled'));
      }
    })()).rejects.toThrow('cancelled');
    expect(seen).toHaveLength(1);
  });
});
