import TurndownService from 'turndown';
import { gfm } from '@joplin/turndown-plugin-gfm';
import { attachmentUrl } from './attachment-ref';
import type { ImportedAttachment } from './item';

/**
 * ENML (Evernote's XHTML: `<en-note>`, `<en-todo>`, `<en-media>`, `<en-crypt>`) to Markdown, with
 * turndown and its GFM plugin (tables, strikethrough, task lists). The rules:
 *
 * - `<en-todo checked="true"/>` → `- [x] ` (`- [ ] ` unchecked; `[x] ` inside a list item), and
 *   Evernote 10's checklists (`<ul style="--en-todo:true">` with `<li style="--en-checked:true">`)
 *   → `- [x] item`; consecutive task lines are kept together as one list.
 * - `<en-media hash="<md5>" type=…/>` → the resource with that MD5: `![name](attachment:<sha256>)`
 *   for images, `[name](attachment:<sha256>)` for other files; an unknown hash is a warning.
 * - `<en-crypt>` (text encrypted in Evernote) cannot be read: a placeholder and a warning.
 * - `<div style="-en-codeblock:true">` → a fenced code block; headings ATX (`#`), fenced code,
 *   `-` bullets, `**strong**`, `_em_`.
 */

export interface EnmlResult {
  markdown: string;
  warnings: string[];
}

/** a resource as ENML names it: by the MD5 of its bytes */
export type MediaLookup = (md5: string) => Pick<ImportedAttachment, 'name' | 'mime' | 'sha256'> | undefined;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g;
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const decodeAttr = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attrs(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(ATTR)) out[m[1]!.toLowerCase()] = decodeAttr(m[3] ?? m[4] ?? m[5] ?? '');
  return out;
}

/** minimal DOM shape turndown hands to rules (the project compiles without the DOM library) */
interface DomNode {
  nodeName: string;
  nodeType: number;
  textContent: string | null;
  parentNode: DomNode | null;
  nextSibling: DomNode | null;
  childNodes: ArrayLike<DomNode>;
  children: ArrayLike<DomNode>;
  getAttribute(name: string): string | null;
  checked?: boolean;
}

const styleOf = (n: DomNode | null): string => (n && n.nodeType === 1 ? n.getAttribute('style') ?? '' : '');
const isEnTodoList = (n: DomNode | null): boolean => !!n && n.nodeName === 'UL' && /--en-todo\s*:\s*true/i.test(styleOf(n));

/** the text of a code block, one line per block child or `<br>` */
function codeText(node: DomNode): string {
  let out = '';
  const walk = (n: DomNode): void => {
    if (n.nodeType === 3) { out += n.textContent ?? ''; return; }
    if (n.nodeName === 'BR') { out += '\n'; return; }
    const block = /^(DIV|P|LI|PRE|H[1-6])$/.test(n.nodeName);
    if (block && out && !out.endsWith('\n')) out += '\n';
    for (const c of Array.from(n.childNodes)) walk(c);
    if (block && !out.endsWith('\n')) out += '\n';
  };
  for (const c of Array.from(node.childNodes)) walk(c);
  return out.replace(/\u00a0/g, ' ').replace(/\n+$/, '');
}

export class EnmlConverter {
  private readonly td: TurndownService;

  constructor() {
    this.td = new TurndownService({
      headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '_', strongDelimiter: '**', hr: '---',
    });
    this.td.use(gfm);
    this.td.remove(['style', 'script', 'title', 'head'] as unknown as TurndownService.Filter);
    const rule = (key: string, filter: (n: DomNode) => boolean, replacement: (content: string, n: DomNode) => string): void => {
      this.td.addRule(key, {
        filter: filter as unknown as TurndownService.FilterFunction,
        replacement: replacement as unknown as TurndownService.ReplacementFunction,
      });
    };
    // list items: "- item" / "1. item" (turndown's own uses three spaces after the marker), and
    // Evernote 10 checklist items with their checked state
    rule('listItem', (n) => n.nodeName === 'LI', (content, n) => {
      const parent = n.parentNode;
      let prefix = '- ';
      if (parent?.nodeName === 'OL') {
        const start = Number(parent.getAttribute('start') ?? '1') || 1;
        prefix = `${start + Array.prototype.indexOf.call(parent.children, n)}. `;
      }
      const todo = isEnTodoList(parent);
      if (todo) prefix += /--en-checked\s*:\s*true/i.test(styleOf(n)) ? '[x] ' : '[ ] ';
      const paragraph = !todo && /\n$/.test(content);
      const body = content.replace(/^\n+/, '').replace(/\n+$/, '') + (paragraph ? '\n' : '');
      return prefix + body.replace(/\n/g, '\n' + ' '.repeat(prefix.length)) + (n.nextSibling ? '\n' : '');
    });
    // <en-todo> arrives here as <input type="checkbox" data-en-todo>
    rule('enTodo', (n) => n.nodeName === 'INPUT' && (n.getAttribute('type') ?? '').toLowerCase() === 'checkbox', (_c, n) => {
      const mark = n.getAttribute('checked') !== null ? '[x] ' : '[ ] ';
      let p = n.parentNode;
      while (p && p.nodeName !== 'LI' && /^(SPAN|LABEL|FONT|B|I|U|STRONG|EM)$/.test(p.nodeName)) p = p.parentNode;
      return p?.nodeName === 'LI' ? mark : '- ' + mark;
    });
    rule('enCodeBlock', (n) => n.nodeName === 'DIV' && /-en-codeblock\s*:\s*true/i.test(styleOf(n)), (_c, n) => {
      const code = codeText(n);
      const fence = /^```/m.test(code) ? '~~~' : '```';
      return `\n\n${fence}\n${code}\n${fence}\n\n`;
    });
  }

  /** converts one note's ENML; `media` finds a resource by the MD5 `<en-media>` names */
  convert(enml: string, media: MediaLookup): EnmlResult {
    const warnings: string[] = [];
    const html = this.prepare(enml, media, warnings);
    let md = this.td.turndown(html);
    md = md
      .replace(/[ \t]+$/gm, '')
      .replace(/^([ \t]*- \[[ x]\] .*)\n\n(?=[ \t]*- \[[ x]\] )/gm, '$1\n') // one task list, not loose paragraphs
      .replace(/^([ \t]*- \[[ x]\] .*)\n\n(?=[ \t]*- \[[ x]\] )/gm, '$1\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return { markdown: md, warnings };
  }

  /** ENML as HTML turndown can read: no prolog, explicit close tags, the Evernote elements replaced */
  private prepare(enml: string, media: MediaLookup, warnings: string[]): string {
    let crypts = 0;
    let missing = 0;
    const html = enml
      .replace(/<\?xml[\s\S]*?\?>/g, '')
      .replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<en-crypt\b[^>]*>[\s\S]*?<\/en-crypt\s*>|<en-crypt\b[^>]*\/>/gi, () => {
        crypts++;
        return '<p>[encrypted text, not imported]</p>';
      })
      .replace(/<en-todo\b([^>]*?)\/?>(\s*<\/en-todo\s*>)?/gi, (_m, a: string) =>
        attrs(a).checked === 'true' ? '<input type="checkbox" checked="checked">' : '<input type="checkbox">')
      .replace(/<en-media\b([^>]*?)\/?>(\s*<\/en-media\s*>)?/gi, (_m, a: string) => {
        const at = attrs(a);
        const found = at.hash ? media(at.hash.toLowerCase()) : undefined;
        if (!found) {
          missing++;
          return `<span>[missing attachment${at.type ? ' ' + escapeHtml(at.type) : ''}]</span>`;
        }
        const url = attachmentUrl(found.sha256);
        return found.mime.startsWith('image/')
          ? `<img src="${url}" alt="${escapeHtml(found.name)}">`
          : `<a href="${url}">${escapeHtml(found.name)}</a>`;
      })
      // XHTML's <div/> is an open tag to an HTML parser: close non-void elements explicitly
      .replace(/<([a-zA-Z][\w:-]*)(\s[^<>]*?)?\s*\/>/g, (m, tag: string, a = '') =>
        VOID.has(tag.toLowerCase()) ? m : `<${tag}${a}></${tag}>`)
      .replace(/<en-note\b[^>]*>/gi, '<div>')
      .replace(/<\/en-note\s*>/gi, '</div>');
    if (crypts) warnings.push(`${crypts} encrypted block${crypts > 1 ? 's' : ''} not imported (Evernote-encrypted text)`);
    if (missing) warnings.push(`${missing} <en-media> without a matching resource`);
    return html;
  }
}
