import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentMarkdown, attachmentUrl, rewriteAttachmentRefs } from '../../../core/import/attachment-ref';
import { Base64Decoder } from '../../../core/import/base64-decoder';
import { fromAnyDate, fromEnexDate, fromMicros } from '../../../core/import/dates';
import { EnmlConverter } from '../../../core/import/enml';
import { noteFields, parseFrontMatter } from '../../../core/import/front-matter';
import { labels } from '../../../core/import/labels';
import { findLocalRefs, inlineTags } from '../../../core/import/markdown-links';
import { insideRoot } from '../../../core/import/walk';

describe('import pieces', () => {
  it('Base64Decoder: any split, whitespace anywhere, unpadded tails; damage is an error', () => {
    for (let t = 0; t < 200; t++) {
      const data = randomBytes(t * 3 + (t % 3));
      let b64 = data.toString('base64');
      if (t % 4 === 0) b64 = b64.replace(/=+$/, '');
      if (t % 2 === 0) b64 = b64.replace(/.{5}/g, '$&\r\n ');
      const d = new Base64Decoder();
      const out: Buffer[] = [];
      for (let i = 0, n = 1; i < b64.length; i += n, n = (n * 7 + 3) % 11) out.push(d.write(b64.slice(i, i + n)));
      out.push(d.end());
      expect(Buffer.concat(out).equals(data)).toBe(true);
    }
    const fails = (s: string) => () => { const d = new Base64Decoder(); d.write(s); d.end(); };
    expect(fails('ab*c')).toThrow('invalid base64 data');
    expect(fails('ab=c')).toThrow('after the padding');
    expect(fails('AA=')).toThrow('padding');
    expect(fails('abcda')).toThrow('truncated');
  });

  it('dates: ENEX basic format, Keep microseconds, front-matter forms (zone-less read as UTC)', () => {
    expect(fromEnexDate('20231105T101500Z')).toBe('2023-11-05T10:15:00.000Z');
    expect(fromEnexDate('20230231T101500Z')).toBeUndefined();
    expect(fromEnexDate('2023-11-05')).toBeUndefined();
    expect(fromMicros(1715418930123456)).toBe('2024-05-11T09:15:30.123Z');
    expect(fromMicros('1715418930123456')).toBe('2024-05-11T09:15:30.123Z');
    expect(fromAnyDate(new Date(Date.UTC(2023, 8, 1)))).toBe('2023-09-01T00:00:00.000Z');
    expect(fromAnyDate('2023-09-01 10:00')).toBe('2023-09-01T10:00:00.000Z');
    expect(fromAnyDate('2023-09-01T10:00:00+02:00')).toBe('2023-09-01T08:00:00.000Z');
    expect(fromAnyDate('yesterday')).toBeUndefined();
    expect(fromAnyDate('2023-02-30')).toBeUndefined();
  });

  it('front matter: fields by their usual names; no front matter without a closing line', () => {
    const fm = parseFrontMatter('---\nTitle: T\ntags: a b c # a YAML comment\nAlias: [x]\nDate Created: 2023-01-02\nmodified: 2023-01-03T04:05:06Z\n---\nbody\n');
    expect(fm.content).toBe('body\n');
    expect(noteFields(fm.data)).toEqual({
      title: 'T', tags: ['a', 'b', 'c'], aliases: ['x'], people: [], places: [],
      created_at: '2023-01-02T00:00:00.000Z', updated_at: '2023-01-03T04:05:06.000Z', occurred_at: undefined, hasOtherFields: false,
    });
    expect(parseFrontMatter('---\nnot closed\n\ntext').data).toEqual({});
    expect(parseFrontMatter('---\na: 1\n...\nbody').data).toEqual({ a: 1 });
    expect(() => parseFrontMatter('---\n- a list\n---\n')).toThrow(/not a set of fields/);
  });

  it('labels: cleaned, deduplicated, commas split only in a single string', () => {
    expect(labels('a, #b, a', ['Doe, Jane', '', 3], undefined)).toEqual(['a', 'b', 'Doe, Jane', '3']);
  });

  it('Markdown links: embeds, links and their labels; code and web links left alone; inline tags', () => {
    const refs = findLocalRefs('![[a.png|300]] [[Note#Head|shown]] ![alt](<b c.png> "t") [x](d%20e.pdf) [w](https://x.y/z.png) `![[code.png]]`\n```\n![[fenced.png]]\n```\n![[f.png]]');
    expect(refs.map(({ syntax, embed, target, label }) => ({ syntax, embed, target, label }))).toEqual([
      { syntax: 'wiki', embed: true, target: 'a.png', label: '300' },
      { syntax: 'wiki', embed: false, target: 'Note', label: 'shown' },
      { syntax: 'markdown', embed: true, target: 'b c.png', label: 'alt' },
      { syntax: 'markdown', embed: false, target: 'd e.pdf', label: 'x' },
      { syntax: 'wiki', embed: true, target: 'f.png', label: undefined },
    ]);
    expect(inlineTags('#one and #two/three, not #1 nor a#b nor `#code`\n# Heading #four\n```\n#fenced\n```')).toEqual(['one', 'two/three', 'four']);
  });

  it('attachment refs: image or link, rewritten by the importer', () => {
    const sha = 'ab'.repeat(32);
    expect(attachmentMarkdown({ name: 'a [1].png', mime: 'image/png', sha256: sha })).toBe(`![a \\[1\\].png](attachment:${sha})`);
    expect(attachmentMarkdown({ name: 'f.pdf', mime: 'application/pdf', sha256: sha })).toBe(`[f.pdf](attachment:${sha})`);
    expect(rewriteAttachmentRefs(`x ${attachmentUrl(sha)} y attachment:${'cd'.repeat(32)}`, (h) => (h === sha ? 'attachment:01J' : undefined)))
      .toBe(`x attachment:01J y attachment:${'cd'.repeat(32)}`);
  });

  it('insideRoot: relative paths inside only', () => {
    expect(insideRoot('/v', '/v/a', '../b.png')).toBe('/v/b.png');
    expect(insideRoot('/v', '/v/a', '../../b.png')).toBeUndefined();
    expect(insideRoot('/v', '/v', '/etc/passwd')).toBeUndefined();
    expect(insideRoot('/v', '/v', 'C:\\x')).toBeUndefined();
  });

  it('ENML rules: en-todo, Evernote 10 checklists, en-media, en-crypt, code blocks, tables, XHTML self-closing tags', () => {
    const c = new EnmlConverter();
    const sha = 'a'.repeat(64);
    const { markdown, warnings } = c.convert(
      '<?xml version="1.0"?><!DOCTYPE en-note SYSTEM "http://xml.evernote.com/pub/enml2.dtd"><en-note>' +
      '<div><en-todo checked="true"/>done</div><div><en-todo/>open</div><div/>' +
      '<ul style="--en-todo:true;"><li style="--en-checked:true;"><div>Milk</div></li><li style="--en-checked:false;"><div>Eggs</div></li></ul>' +
      '<ul><li><en-todo checked="true"/>in a list</li></ul>' +
      '<div><en-media hash="ABC" type="image/png"/></div><en-media hash="dead" type="image/png"/>' +
      '<en-crypt hint="h">AAAA</en-crypt>' +
      '<div style="-en-codeblock:true"><div>a &lt; b</div><div>c</div></div>' +
      '<table><tr><td>k</td><td>v</td></tr></table></en-note>',
      (md5) => (md5 === 'abc' ? { name: 'p.png', mime: 'image/png', sha256: sha } : undefined),
    );
    expect(markdown).toContain('- [x] done\n- [ ] open');
    expect(markdown).toContain('- [x] Milk\n- [ ] Eggs');
    expect(markdown).toContain('- [x] in a list');
    expect(markdown).toContain(`![p.png](attachment:${sha})`);
    expect(markdown).toContain('```\na < b\nc\n```');
    expect(markdown).toMatch(/\| k +\| v +\|/);
    expect(warnings).toEqual(['1 encrypted block not imported (Evernote-encrypted text)', '1 <en-media> without a matching resource']);
  });
});
