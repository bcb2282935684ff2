import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, type AttachmentSlots, type WikiSlot } from '../../../renderer/src/components/Markdown';
import { attachmentIdOf, attachmentMarkdown, memoryUrl, plainPreview, safeHref, splitFrontMatter, toggleTask } from '../../../renderer/src/lib/markdown';

/** The body as the memory view renders it (react-markdown + remark-gfm + our rules), as HTML. */
const render = (source: string, opts: { toggle?: boolean; attachments?: AttachmentSlots; wiki?: WikiSlot } = {}) =>
  renderToStaticMarkup(createElement(Markdown, { source, ...(opts.toggle ? { onToggleTask: () => {} } : {}), ...(opts.attachments ? { attachments: opts.attachments } : {}), ...(opts.wiki ? { wiki: opts.wiki } : {}) }));

const ID = '01JD0000000000000000000ABC';

describe('Markdown for memories (writing surface, issue 10; react-markdown since issue 12)', () => {
  it('renders headings below the page’s own, emphasis, links, quotes, code, tables and rules', () => {
    const html = render('# Trip\n\nBring **sun cream** and _two_ towels, ~~no~~ see [the site](https://example.com).\n\n> take a jumper\n\n```\ncode <b>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---');
    expect(html).toContain('<h3 class="md-h1">Trip</h3>');
    expect(html).toContain('<strong>sun cream</strong>');
    expect(html).toContain('<em>two</em>');
    expect(html).toContain('<del>no</del>');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">the site</a>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<pre class="md-code"><code>code &lt;b&gt;\n</code></pre>');
    expect(html).toContain('<table>');
    expect(html).toContain('<hr/>');
  });

  it('keeps raw HTML as text, and only http(s), mailto and tel links: the rest is inert', () => {
    const src = '<img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n\n[x](javascript:alert(3)) [y](data:text/html,hi) [z](file:///etc/passwd) [r](./relative) ![i](https://tracker.example/p.png) ![j](javascript:alert(4)) <a href="javascript:alert(5)">a</a>';
    const html = render(src);
    // the markup shows as its text, escaped; no element of it exists
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).not.toMatch(/<img|<script|<a href="javascript| onerror="/);
    expect(html).not.toMatch(/href="(javascript|data|file):/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://tracker.example/p.png']); // the remote image, as a link, never loaded
    expect(html).toContain('<span class="md-dead-link">x</span>');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(safeHref('https://a.example/x"onmouseover=1')).toBeNull();
    expect(safeHref('mailto:ann@example.com')).toBe('mailto:ann@example.com');
    expect(memoryUrl('javascript:alert(1)')).toBe('');
    expect(memoryUrl(`attachment:${ID}`)).toBe(`attachment:${ID}`);
    expect(memoryUrl('attachment:../../etc')).toBe('');
  });

  it('gives attachment: links and images to the slots, and shows only their names without them', () => {
    const src = `![the pie](attachment:${ID}) and [policy.pdf](attachment:${ID})`;
    expect(render(src)).toContain('<span class="md-image">image: the pie</span>');
    expect(render(src)).toContain('<span class="md-file">policy.pdf</span>');
    const seen: string[] = [];
    const html = render(src, { attachments: {
      image: (id, alt) => { seen.push(`image ${id} ${alt}`); return createElement('i', null, 'IMG'); },
      file: (id) => { seen.push(`file ${id}`); return createElement('b', null, 'FILE'); },
    } });
    expect(seen).toEqual([`image ${ID} the pie`, `file ${ID}`]);
    expect(html).toContain('<i>IMG</i>');
    expect(html).toContain('<b>FILE</b>');
    expect(attachmentIdOf(`attachment:${ID}`)).toBe(ID);
    expect(attachmentIdOf('attachment:nope')).toBeNull();
    expect(attachmentMarkdown({ attachment_id: ID, name: 'pie [1].png', mime: 'image/png' })).toBe(`![pie \\[1\\].png](attachment:${ID})`);
    expect(attachmentMarkdown({ attachment_id: ID, name: 'policy.pdf', mime: 'application/pdf' })).toBe(`[policy.pdf](attachment:${ID})`);
  });

  it('labels each checklist box with its text, knows its source line, and toggles the right box', () => {
    const src = 'Packing\n\n- [ ] passports\n- [x] tickets\n  - [ ] nested one\n\n> - [ ] in a quote';
    const html = render(src, { toggle: true });
    const boxes = [...html.matchAll(/<label><input type="checkbox" data-line="(\d+)"( checked="")?\/><span( class="done")?>([^<]*)<\/span><\/label>/g)].map((m) => [m[4].trim(), Number(m[1]), !!m[2], !!m[3]]);
    expect(boxes).toEqual([['passports', 2, false, false], ['tickets', 3, true, true], ['nested one', 4, false, false], ['in a quote', 6, false, false]]);
    expect(html).toContain('class="contains-task-list tasks"');
    expect(render(src)).toContain('disabled=""'); // without a toggle the boxes are read-only
    expect(toggleTask(src, 2, true)).toContain('- [x] passports');
    expect(toggleTask(src, 3, false)).toContain('- [ ] tickets');
    expect(toggleTask(src, 4, true)).toContain('  - [x] nested one');
    expect(toggleTask(src, 6, true)).toContain('> - [x] in a quote');
    expect(toggleTask(src, 0, true)).toBe(src); // not a checklist line
  });

  it('shows a front matter block as the note’s properties, and the boxes below keep their lines', () => {
    const src = '---\ndate: 2024-05-12\nrating: 5\n---\nWe stayed near the river.\n\n- [ ] postcards';
    const html = render(src, { toggle: true });
    expect(html).toMatch(/^<details class="md-front-matter"><summary>Properties<\/summary><pre>date: 2024-05-12\nrating: 5<\/pre><\/details>/);
    expect(html).not.toContain('<hr/>');
    expect(html).not.toContain('<h');
    expect(html).toContain('data-line="6"');
    expect(toggleTask(src, 6, true)).toContain('- [x] postcards');
    expect(plainPreview(src)).toBe('We stayed near the river. ☐ postcards');
    // a rule and a setext heading are not front matter
    expect(splitFrontMatter('---\nJust a rule\n---\n').front).toBeNull();
    expect(splitFrontMatter('Text\n---\na: b\n---').front).toBeNull();
  });

  it('turns [[wiki links]] outside code into links to the memory of that title; transclusions stay as written', () => {
    const src = 'See [[Apple crumble]] or the [[Lisbon 2024|Lisbon trip]] and [[Recipes#Pies]].\n\n`[[in code]]` ![[Embedded note]]\n\n```\n[[in a block]]\n```';
    const seen: string[] = [];
    const html = render(src, { wiki: (title, label) => { seen.push(title); return createElement('button', null, label); } });
    expect(seen).toEqual(['Apple crumble', 'Lisbon 2024', 'Recipes']);
    expect(html).toContain('<button>Lisbon trip</button>');
    expect(html).toContain('<code>[[in code]]</code>');
    expect(html).toContain('![[Embedded note]]');
    expect(html).toContain('[[in a block]]');
    expect(render('[[Apple crumble]]')).toBe('<p><span class="md-wiki">Apple crumble</span></p>');
  });

  it('does not treat snake_case as emphasis, and keeps code spans literal', () => {
    expect(render('a snake_case_name')).toBe('<p>a snake_case_name</p>');
    expect(render('`**not bold**`')).toBe('<p><code>**not bold**</code></p>');
  });

  it('finishes on any input', () => {
    const parts = ['*', '**', '_', '[', ']', '(', ')', '`', '<', '>', '#', '-', ' ', '\n', 'a', 'https://x.y/', '- [ ] ', '> ', '~~', '!', '\\', '|', 'attachment:'];
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const started = Date.now();
    for (let n = 0; n < 100; n++) {
      let s = '';
      for (let i = 0; i < 200; i++) s += parts[Math.floor(rnd() * parts.length)];
      expect(render(s, { toggle: true })).not.toMatch(/<script|<img|href="(?!https?:)/);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gives one-line previews without the markup', () => {
    expect(plainPreview('# Trip\n\n**Bring** [map](https://x.example)\n- [ ] passports\n- [x] tickets')).toBe('Trip Bring map ☐ passports ☑ tickets');
    expect(plainPreview(`![pie.png](attachment:${ID})\nThe pie, see [policy.pdf](attachment:${ID}).`)).toBe('The pie, see policy.pdf.');
  });
});
