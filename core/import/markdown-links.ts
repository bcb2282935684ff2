/**
 * The links and embeds of a Markdown note, found outside code (fenced blocks and inline code
 * spans are left exactly as they are):
 *
 *   ![[photo.png]]  ![[photo.png|300]]  [[Other note]]  [[Other note|shown text]]  [[file.pdf]]
 *   ![alt](photo.png)  ![alt](<my photo.png> "title")  [text](docs/file.pdf)  [text](https://…)
 */

export interface LocalRef {
  /** the text matched, to be replaced or kept */
  whole: string;
  /** `[[…]]` (Obsidian) or `[…](…)` (CommonMark) */
  syntax: 'wiki' | 'markdown';
  /** `!` in front: shown in place (an image, a transcluded note) */
  embed: boolean;
  /** the file or note named, URL-decoded, without `#heading`, `^block` or `|alias` */
  target: string;
  /** the alias (`[[a|this]]`) or the link text (`[this](a)`), when there is one */
  label?: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const INLINE_CODE = /(`+)[\s\S]*?\1/g;
const REF = /(!?)\[\[([^\]\n]+?)\]\]|(!?)\[((?:\\.|[^\]\\\n])*)\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)/g;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** applies `fn` to the parts of `md` that are not code, keeping code as it is */
export function mapOutsideCode(md: string, fn: (prose: string) => string): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  let prose: string[] = [];
  const flush = (): void => {
    if (prose.length) out.push(mapInline(prose.join('\n'), fn));
    prose = [];
  };
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (fence) {
      out.push(line);
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[1]) fence = null;
    } else if (f) {
      flush();
      out.push(line);
      fence = f[1]!;
    } else prose.push(line);
  }
  flush();
  return out.join('\n');
}

function mapInline(text: string, fn: (prose: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(INLINE_CODE)) {
    out += fn(text.slice(last, m.index)) + m[0];
    last = m.index! + m[0].length;
  }
  return out + fn(text.slice(last));
}

function decode(target: string): string {
  try { return decodeURIComponent(target); } catch { return target; }
}

function parse(m: RegExpMatchArray): LocalRef | undefined {
  if (m[2] !== undefined) {
    const [name, ...alias] = m[2].split('|');
    const target = name!.replace(/#.*$/, '').trim();
    if (!target) return undefined; // [[#heading]]: a link inside the note itself
    return { whole: m[0], syntax: 'wiki', embed: m[1] === '!', target, label: alias.length ? alias.join('|').trim() : undefined };
  }
  let url = m[5] ?? '';
  if (url.startsWith('<')) url = url.slice(1, -1);
  if (!url || SCHEME.test(url) || url.startsWith('#') || url.startsWith('//')) return undefined; // web, mail, data: URLs stay links
  const target = decode(url.replace(/[#?].*$/, ''));
  if (!target) return undefined;
  return { whole: m[0], syntax: 'markdown', embed: m[3] === '!', target, label: m[4] ? m[4].replace(/\\(.)/g, '$1') : undefined };
}

/** every local link or embed, in order */
export function findLocalRefs(md: string): LocalRef[] {
  const refs: LocalRef[] = [];
  mapOutsideCode(md, (prose) => {
    for (const m of prose.matchAll(REF)) {
      const r = parse(m);
      if (r) refs.push(r);
    }
    return prose;
  });
  return refs;
}

/** replaces each local link or embed by what `fn` returns for it (undefined: kept as written) */
export function rewriteLocalRefs(md: string, fn: (ref: LocalRef) => string | undefined): string {
  return mapOutsideCode(md, (prose) => prose.replace(REF, (...args) => {
    const m = args.slice(0, 6) as unknown as RegExpMatchArray;
    const r = parse(m);
    return (r && fn(r)) ?? m[0];
  }));
}

const TAG = /(^|\s)#([^\s#!"$%&'()*+,.:;<=>?@^`{|}~[\]\\]+)/g;

/** Obsidian's inline `#tags` (`#recipes`, `#family/kids`; not `#1`, not a `# heading`, not in code) */
export function inlineTags(md: string): string[] {
  const tags: string[] = [];
  mapOutsideCode(md, (prose) => {
    for (const m of prose.matchAll(TAG)) {
      const t = m[2]!.replace(/\/+$/, '');
      if (/[^\d/]/.test(t)) tags.push(t);
    }
    return prose;
  });
  return tags;
}
