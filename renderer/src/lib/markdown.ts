/**
 * A small Markdown reader for memories: the common subset (headings, paragraphs, **strong**,
 * _em_, `code`, fenced code, > quotes, lists, - [ ] checklists, links, rules) into a tree that
 * components/Markdown.tsx turns into React elements. It never produces HTML: raw HTML in a memory
 * (`<img onerror=…>`, `<script>`) stays text, and React escapes it, so nothing a memory holds can
 * reach the DOM as markup. Links keep only http(s), mailto and tel targets; images are not loaded
 * (a remote image would tell its server when the memory was read): they show as a link.
 *
 * It stands in for a maintained library (see the renderer's notes): the interface is the tree.
 */

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'strong'; children: Inline[] }
  | { t: 'em'; children: Inline[] }
  | { t: 'del'; children: Inline[] }
  | { t: 'code'; text: string }
  | { t: 'link'; href: string; children: Inline[] }
  | { t: 'image'; href: string | null; alt: string }
  | { t: 'br' };

export interface ListItem {
  /** null: not a checklist item */
  checked: boolean | null;
  /** the source line of a checklist item (toggling rewrites its box) */
  line: number;
  children: Inline[];
  sub: Block[];
}

export type Block =
  | { t: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { t: 'paragraph'; children: Inline[] }
  | { t: 'code'; text: string; lang: string }
  | { t: 'quote'; children: Block[] }
  | { t: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { t: 'hr' };

const SAFE_HREF = /^(https?:\/\/|mailto:|tel:)/i;

/** A link target that may be followed, or null (javascript:, data:, file:, relative paths…). */
export function safeHref(href: string): string | null {
  const h = href.trim();
  return SAFE_HREF.test(h) && !/[\s<>"]/.test(h) ? h : null;
}

// ---- inline ----------------------------------------------------------------------------------

const INLINE = new RegExp([
  '(`+)([\\s\\S]*?[^`])\\1(?!`)', // 1,2 code span
  '!\\[([^\\]]*)\\]\\(([^)\\s]*)(?:\\s+"[^"]*")?\\)', // 3,4 image
  '\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(([^)\\s]*)(?:\\s+"[^"]*")?\\)', // 5,6 link
  '<((?:https?:\\/\\/|mailto:)[^\\s<>]+)>', // 7 autolink
  '((?:https?:\\/\\/)[^\\s<>()]*[^\\s<>().,;:!?"\'])', // 8 bare url
  '(\\*\\*|__)(?=\\S)([\\s\\S]*?\\S)\\9', // 9,10 strong
  '(\\*|_)(?=\\S)([\\s\\S]*?\\S)\\11(?![A-Za-z0-9])', // 11,12 em
  '~~(?=\\S)([\\s\\S]*?\\S)~~', // 13 strikethrough
  '( {2,}|\\\\)\\n', // 14 hard break
  '\\n', // soft break
].join('|'), 'g');

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  const text = (s: string) => {
    if (!s) return;
    const last = out[out.length - 1];
    if (last?.t === 'text') last.text += s; else out.push({ t: 'text', text: s });
  };
  let at = 0;
  // a regex of its own per call: the nested calls below would move a shared one's lastIndex
  const re = new RegExp(INLINE.source, 'g');
  for (let m = re.exec(src); m; m = re.exec(src)) {
    // an underscore inside a word (snake_case) is not emphasis
    if ((m[11] === '_' || m[9] === '__') && m.index > 0 && /[A-Za-z0-9]/.test(src[m.index - 1])) continue;
    text(src.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[1] !== undefined) out.push({ t: 'code', text: m[2].replace(/^ (.*) $/, '$1') });
    else if (m[4] !== undefined) out.push({ t: 'image', href: safeHref(m[4]), alt: m[3] });
    else if (m[6] !== undefined) {
      const href = safeHref(m[6]);
      if (href) out.push({ t: 'link', href, children: parseInline(m[5]) });
      else out.push(...parseInline(m[5]));
    } else if (m[7] !== undefined) out.push({ t: 'link', href: m[7], children: [{ t: 'text', text: m[7].replace(/^mailto:/, '') }] });
    else if (m[8] !== undefined) out.push({ t: 'link', href: m[8], children: [{ t: 'text', text: m[8] }] });
    else if (m[9] !== undefined) out.push({ t: 'strong', children: parseInline(m[10]) });
    else if (m[11] !== undefined) out.push({ t: 'em', children: parseInline(m[12]) });
    else if (m[13] !== undefined) out.push({ t: 'del', children: parseInline(m[13]) });
    else out.push({ t: 'br' });
  }
  text(src.slice(at));
  return out;
}

// ---- blocks ----------------------------------------------------------------------------------

const FENCE = /^ {0,3}(```+|~~~+)\s*([\w+-]*)\s*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}((\*[ \t]*){3,}|(-[ \t]*){3,}|(_[ \t]*){3,})$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^(\s*)([-*+]|(\d{1,9})[.)])[ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;

const isBlank = (l: string) => /^\s*$/.test(l);
const startsBlock = (l: string) => FENCE.test(l) || HEADING.test(l) || HR.test(l) || QUOTE.test(l) || ITEM.test(l);

/** Parses Markdown into blocks; `offset` is the source line of lines[0] (for quotes and nested lists). */
export function parseMarkdown(src: string, offset = 0): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) { i++; continue; }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`).test(lines[i])) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'code', text: body.join('\n'), lang: fence[2] });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      blocks.push({ t: 'heading', level: h[1].length as 1 | 2 | 3 | 4 | 5 | 6, children: parseInline(h[2] ?? '') });
      i++;
      continue;
    }
    if (HR.test(line)) { blocks.push({ t: 'hr' }); i++; continue; }
    if (QUOTE.test(line)) {
      const start = i;
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) inner.push(QUOTE.exec(lines[i++])![1]);
      blocks.push({ t: 'quote', children: parseMarkdown(inner.join('\n'), offset + start) });
      continue;
    }
    if (ITEM.test(line)) {
      const { block, next } = parseList(lines, i, offset);
      blocks.push(block);
      i = next;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !isBlank(lines[i]) && (para.length === 0 || !startsBlock(lines[i]))) para.push(lines[i++]);
    blocks.push({ t: 'paragraph', children: parseInline(para.join('\n').trim()) });
  }
  return blocks;
}

function parseList(lines: string[], from: number, offset: number): { block: Block; next: number } {
  const first = ITEM.exec(lines[from])!;
  const indent = first[1].length;
  const ordered = first[3] !== undefined;
  const items: ListItem[] = [];
  let i = from;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]);
    if (!m || m[1].length !== indent || (m[3] !== undefined) !== ordered) break;
    const task = TASK.exec(m[4]);
    const line = offset + i;
    const text = [task ? task[2] : m[4]];
    const sub: string[] = [];
    let subStart = -1;
    i++;
    // continuation lines and nested lists: indented deeper than the item's marker
    while (i < lines.length && !isBlank(lines[i])) {
      const n = ITEM.exec(lines[i]);
      const deeper = /^(\s*)/.exec(lines[i])![1].length > indent;
      if (n && !deeper) break;
      if (!deeper && startsBlock(lines[i])) break;
      if (n || subStart >= 0) { if (subStart < 0) subStart = i; sub.push(lines[i]); } else text.push(lines[i].trim());
      i++;
    }
    items.push({
      checked: task ? task[1] !== ' ' : null, line,
      children: parseInline(text.join('\n')),
      sub: sub.length ? parseMarkdown(dedent(sub), offset + subStart) : [],
    });
    // a blank line between items keeps the list going
    if (i < lines.length && isBlank(lines[i]) && i + 1 < lines.length && ITEM.exec(lines[i + 1])?.[1].length === indent) i++;
  }
  return { block: { t: 'list', ordered, start: ordered ? Number(first[3]) : 1, items }, next: i };
}

function dedent(lines: string[]): string {
  const min = Math.min(...lines.filter((l) => !isBlank(l)).map((l) => /^(\s*)/.exec(l)![1].length));
  return lines.map((l) => l.slice(min)).join('\n');
}

/** The body with the checklist box on `line` ticked or cleared. */
export function toggleTask(src: string, line: number, checked: boolean): string {
  const lines = src.split('\n');
  const l = lines[line];
  if (l === undefined) return src;
  const m = /^(\s*(?:> ?)*\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[([ xX])\]/.exec(l);
  if (!m) return src;
  lines[line] = `${m[1]}[${checked ? 'x' : ' '}]${l.slice(m[0].length)}`;
  return lines.join('\n');
}

/** Plain text of a Markdown body, for one-line previews in the list. */
export function plainPreview(src: string, max = 140): string {
  const text = src
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+]\s+\[[xX]\]\s+/gm, '☑ ')
    .replace(/^\s*[-*+]\s+\[ \]\s+/gm, '☐ ')
    .replace(/^\s*([-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|[^A-Za-z0-9])[*_](\S(?:.*?\S)?)[*_](?![A-Za-z0-9])/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
