import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, plainPreview, safeHref, toggleTask, type Block, type Inline } from '../../../renderer/src/lib/markdown';

/** Every text of a tree, and every link target, flattened (what could reach the DOM). */
function walk(blocks: Block[]): { texts: string[]; hrefs: (string | null)[] } {
  const texts: string[] = []; const hrefs: (string | null)[] = [];
  const inl = (ns: Inline[]) => ns.forEach((n) => {
    if (n.t === 'text' || n.t === 'code') texts.push(n.text);
    if (n.t === 'link') { hrefs.push(n.href); inl(n.children); }
    if (n.t === 'image') hrefs.push(n.href);
    if (n.t === 'strong' || n.t === 'em' || n.t === 'del') inl(n.children);
  });
  const blk = (bs: Block[]) => bs.forEach((b) => {
    if (b.t === 'heading' || b.t === 'paragraph') inl(b.children);
    if (b.t === 'code') texts.push(b.text);
    if (b.t === 'quote') blk(b.children);
    if (b.t === 'list') b.items.forEach((i) => { inl(i.children); blk(i.sub); });
  });
  blk(blocks);
  return { texts, hrefs };
}

describe('Markdown for memories (writing surface, issue 10)', () => {
  it('reads headings, emphasis, links, quotes, code and rules', () => {
    const b = parseMarkdown('# Trip\n\nBring **sun cream** and _two_ towels, see [the site](https://example.com).\n\n> take a jumper\n\n```\ncode <b>\n```\n\n---');
    expect(b.map((x) => x.t)).toEqual(['heading', 'paragraph', 'quote', 'code', 'hr']);
    expect(b[0]).toMatchObject({ t: 'heading', level: 1, children: [{ t: 'text', text: 'Trip' }] });
    expect((b[1] as { children: Inline[] }).children.map((c) => c.t)).toEqual(['text', 'strong', 'text', 'em', 'text', 'link', 'text']);
    expect(b[3]).toMatchObject({ t: 'code', text: 'code <b>' });
  });

  it('keeps raw HTML as text, and only http(s), mailto and tel links', () => {
    const src = '<img src=x onerror=alert(1)>\n<script>alert(2)</script>\n[x](javascript:alert(3)) [y](data:text/html,hi) [z](file:///etc/passwd) ![i](https://tracker.example/p.png)';
    const { texts, hrefs } = walk(parseMarkdown(src));
    expect(texts.join('')).toContain('<img src=x onerror=alert(1)>');
    expect(texts.join('')).toContain('<script>alert(2)</script>');
    expect(hrefs.every((h) => h === null || /^https:\/\//.test(h))).toBe(true);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(safeHref('https://a.example/x"onmouseover=1')).toBeNull();
    expect(safeHref('mailto:ann@example.com')).toBe('mailto:ann@example.com');
  });

  it('reads checklists with their source lines, and toggles the right box', () => {
    const src = 'Packing\n\n- [ ] passports\n- [x] tickets\n  - [ ] nested one\n\n> - [ ] in a quote';
    const b = parseMarkdown(src);
    const list = b[1] as Extract<Block, { t: 'list' }>;
    expect(list.items.map((i) => [i.checked, i.line])).toEqual([[false, 2], [true, 3]]);
    const nested = list.items[1].sub[0] as Extract<Block, { t: 'list' }>;
    expect(nested.items[0]).toMatchObject({ checked: false, line: 4 });
    const quoted = ((b[2] as Extract<Block, { t: 'quote' }>).children[0] as Extract<Block, { t: 'list' }>).items[0];
    expect(quoted.line).toBe(6);
    expect(toggleTask(src, 2, true)).toContain('- [x] passports');
    expect(toggleTask(src, 3, false)).toContain('- [ ] tickets');
    expect(toggleTask(src, 4, true)).toContain('  - [x] nested one');
    expect(toggleTask(src, 6, true)).toContain('> - [x] in a quote');
    expect(toggleTask(src, 0, true)).toBe(src); // not a checklist line
  });

  it('does not treat snake_case as emphasis, and keeps code spans literal', () => {
    expect(parseInline('a snake_case_name')).toEqual([{ t: 'text', text: 'a snake_case_name' }]);
    expect(parseInline('`**not bold**`')).toEqual([{ t: 'code', text: '**not bold**' }]);
  });

  it('finishes on any input (no runaway loops or backtracking)', () => {
    const parts = ['*', '**', '_', '[', ']', '(', ')', '`', '<', '>', '#', '-', ' ', '\n', 'a', 'https://x.y/', '- [ ] ', '> ', '~~', '!', '\\'];
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const started = Date.now();
    for (let n = 0; n < 300; n++) {
      let s = '';
      for (let i = 0; i < 200; i++) s += parts[Math.floor(rnd() * parts.length)];
      parseMarkdown(s);
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives one-line previews without the markup', () => {
    expect(plainPreview('# Trip\n\n**Bring** [map](https://x.example)\n- [ ] passports\n- [x] tickets')).toBe('Trip Bring map ☐ passports ☑ tickets');
  });
});
