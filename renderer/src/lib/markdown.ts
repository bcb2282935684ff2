/**
 * Markdown rules for memories, beside the renderer (components/Markdown.tsx, react-markdown with
 * remark-gfm). React elements only: react-markdown turns raw HTML in a memory (`<img onerror=…>`,
 * `<script>`) into the text it is, and every URL goes through `memoryUrl` first, so nothing a
 * memory holds can reach the DOM as markup or run as a link. Remote images are not loaded (one
 * would tell its server when the memory was read); `attachment:<id>` URLs name the memory's own
 * files, which the editor fetches through the API.
 */

/** how a body names one of its memory's files: `![photo](attachment:<id>)`, `[policy.pdf](attachment:<id>)` */
export const ATTACHMENT_URL = /^attachment:([0-9A-HJKMNP-TV-Z]{26})$/;

const SAFE_HREF = /^(https?:\/\/|mailto:|tel:)/i;

/** A link target that may be followed, or null (javascript:, data:, file:, relative paths…). */
export function safeHref(href: string): string | null {
  const h = href.trim();
  return SAFE_HREF.test(h) && !/[\s<>"]/.test(h) ? h : null;
}

/** The attachment id an `attachment:<id>` URL names, or null. */
export function attachmentIdOf(url: string | null | undefined): string | null {
  return ATTACHMENT_URL.exec((url ?? '').trim())?.[1] ?? null;
}

/** react-markdown's urlTransform: a safe web link, an attachment reference, or nothing. */
export function memoryUrl(url: string): string {
  const u = url.trim();
  return attachmentIdOf(u) ? u : safeHref(u) ?? '';
}

/** The Markdown that places an attachment in a body: an image inline, any other file as a link. */
export function attachmentMarkdown(a: { attachment_id: string; name: string; mime: string }): string {
  const label = a.name.replace(/([\\[\]])/g, '\\$1');
  return `${a.mime.startsWith('image/') ? '!' : ''}[${label}](attachment:${a.attachment_id})`;
}

/** The body without its references to one attachment (removed for good): each leaves its label as text. */
export function removeAttachmentRefs(body: string, attachmentId: string): string {
  const ref = new RegExp(`!?\\[((?:\\\\.|[^\\]\\\\])*)\\]\\(attachment:${attachmentId}\\)`, 'g');
  return body.replace(ref, (_m, label: string) => label.replace(/\\([\\[\]])/g, '$1'));
}

/** The body with `text` put at `at` (clamped), on a line of its own. */
export function insertBlock(body: string, at: number, text: string): string {
  const i = Math.max(0, Math.min(at, body.length));
  const before = body.slice(0, i);
  const after = body.slice(i);
  const lead = before === '' || before.endsWith('\n') ? '' : '\n';
  const trail = after === '' || after.startsWith('\n') ? '' : '\n';
  return `${before}${lead}${text}${trail}${after}`;
}

/**
 * A YAML front matter block at the top of a body (an imported note keeps the fields we do not map,
 * Obsidian-style): its text, and the body with those lines blanked — not removed, so the
 * checklist boxes below still know their source lines. Without one: front null, body as it is.
 */
export function splitFrontMatter(src: string): { front: string | null; body: string } {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(src);
  if (!m || !/^[\w"'-][^\n]*:/m.test(m[1])) return { front: null, body: src };
  return { front: m[1], body: m[0].replace(/[^\n]/g, '') + src.slice(m[0].length) };
}

// ---- wiki links -----------------------------------------------------------------------------

/** `[[Title]]`, `[[Title|label]]`, `[[Title#Heading]]` (Obsidian, and Joplin note links as imported) */
const WIKI = /(!?)\[\[([^\[\]|#\n]+)(#[^\[\]|\n]*)?(?:\|([^\[\]\n]+))?\]\]/g;

/**
 * A rehype plugin for wiki links: in text outside code, each `[[Title]]` becomes a
 * <span class="md-wiki" data-title> the view turns into a link to the memory of that title.
 * `![[Note]]` (a transclusion) stays as written: embedding another memory is not done here.
 */
export function rehypeWikiLinks() {
  const visit = (n: HNode) => {
    if (n.type === 'element' && (n.tagName === 'code' || n.tagName === 'pre' || n.tagName === 'a')) return;
    if (!n.children) return;
    const out: HNode[] = [];
    for (const c of n.children) {
      if (c.type !== 'text' || !c.value?.includes('[[')) { visit(c); out.push(c); continue; }
      const v = c.value;
      let at = 0;
      for (const m of v.matchAll(WIKI)) {
        if (m[1]) continue;
        const title = m[2].trim();
        if (!title) continue;
        if (m.index! > at) out.push({ type: 'text', value: v.slice(at, m.index) });
        out.push({ type: 'element', tagName: 'span', properties: { className: ['md-wiki'], dataTitle: title }, children: [{ type: 'text', value: (m[4] ?? title).trim() }] });
        at = m.index! + m[0].length;
      }
      if (at < v.length) out.push({ type: 'text', value: v.slice(at) });
    }
    n.children = out;
  };
  return (tree: HNode) => { visit(tree); };
}

// ---- checklists ------------------------------------------------------------------------------

/** The bits of a hast tree the checklist plugin reads (hast's own types, narrowed). */
interface HNode { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: HNode[]; position?: { start: { line: number } } }

const isList = (n: HNode) => n.type === 'element' && (n.tagName === 'ul' || n.tagName === 'ol');
const isCheckbox = (n: HNode) => n.type === 'element' && n.tagName === 'input' && n.properties?.type === 'checkbox';
const classes = (n: HNode): string[] => { const c = n.properties?.className; return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(' ') : []; };

/**
 * A rehype plugin for GFM checklists: each item's box and its own text go into one <label> (the
 * box's accessible name is its text), the text in a <span> struck through when ticked, and the
 * box learns the 0-based source line its item starts on (`data-line`), so ticking it rewrites that
 * line with `toggleTask`. Nested lists stay outside the label.
 */
export function rehypeChecklists() {
  const visit = (n: HNode) => {
    if (n.type === 'element' && n.tagName === 'li' && classes(n).includes('task-list-item')) {
      // a loose item holds its box inside its first paragraph
      const first = n.children?.find((c) => c.type === 'element');
      const holder = first && first.tagName === 'p' && first.children?.some(isCheckbox) ? first : n;
      const kids = holder.children ?? [];
      const box = kids.find(isCheckbox);
      if (box) {
        const own = kids.filter((c) => c !== box && !isList(c));
        const lists = kids.filter(isList);
        box.properties = { ...box.properties, dataLine: (n.position?.start.line ?? 1) - 1 };
        const label: HNode = { type: 'element', tagName: 'label', properties: {}, children: [box, { type: 'element', tagName: 'span', properties: box.properties?.checked ? { className: ['done'] } : {}, children: own }] };
        holder.children = [label, ...lists];
        n.properties = { ...n.properties, className: [...classes(n), 'task'] };
      }
    }
    if (n.type === 'element' && isList(n) && classes(n).includes('contains-task-list')) n.properties = { ...n.properties, className: [...classes(n), 'tasks'] };
    n.children?.forEach(visit);
  };
  return (tree: HNode) => { visit(tree); };
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
  const text = splitFrontMatter(src).body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+]\s+\[[xX]\]\s+/gm, '☑ ')
    .replace(/^\s*[-*+]\s+\[ \]\s+/gm, '☐ ')
    .replace(/^\s*([-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    // a file shown in the text is no words of it: a preview leaves it out
    .replace(/!\[[^\]]*\]\(attachment:[^)]*\)/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|[^A-Za-z0-9])[*_](\S(?:.*?\S)?)[*_](?![A-Za-z0-9])/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
