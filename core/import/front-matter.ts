import matter from 'gray-matter';
import { fromAnyDate } from './dates';
import { labels, text } from './labels';

export interface FrontMatter {
  /** the fields as parsed (YAML) */
  data: Record<string, unknown>;
  /** the text after the front matter */
  content: string;
  /** the front-matter block as written, delimiters included ('' when there is none) */
  raw: string;
}

const refuse = (): never => { throw new Error('only YAML front matter is read'); };

/**
 * gray-matter with its code-running engines switched off: by default it `eval`s front matter
 * that opens with `---js`, and an imported file must never run. Passing options also turns off
 * its cache (which otherwise keeps every file's text for the life of the process).
 */
const OPTIONS = { engines: { javascript: refuse, js: refuse, coffee: refuse, coffeescript: refuse, cson: refuse } };

/** front matter opens on the first line and is closed by a `---` (or `...`) line; else the file has none */
const BLOCK = /^---[^\S\n]*\w*[^\S\n]*\r?\n(?:[\s\S]*?\r?\n)?(?:---|\.\.\.)[^\S\n]*(?:\r?\n|$)/;

/** Splits a Markdown file into front matter and body; throws when the front matter does not parse. */
export function parseFrontMatter(source: string): FrontMatter {
  const m = BLOCK.exec(source);
  if (!m) return { data: {}, content: source, raw: '' };
  const raw = m[0];
  // gray-matter needs `---` to close the block; a YAML `...` closer is given to it as `---`
  const input = /(?:^|\n)\.\.\.[^\S\n]*(?:\r?\n)?$/.test(raw) ? raw.replace(/\.\.\.([^\S\n]*(?:\r?\n)?)$/, '---$1') : raw;
  let data: unknown;
  try {
    data = matter(input, OPTIONS).data;
  } catch (e) {
    const msg = (e instanceof Error ? e.message.split('\n')[0]! : String(e)).replace(/:\s*$/, '');
    throw new Error(`front matter does not parse: ${msg}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('front matter is not a set of fields');
  return { data: data as Record<string, unknown>, content: source.slice(raw.length), raw };
}

/** the front-matter fields this importer understands, by what they mean (first present one wins) */
export const FIELDS = {
  title: ['title'],
  tags: ['tags', 'tag', 'keywords'],
  aliases: ['aliases', 'alias'],
  people: ['people', 'persons', 'person'],
  places: ['places', 'place', 'location', 'locations'],
  created: ['created', 'created_at', 'createdAt', 'date created', 'date_created', 'creation date', 'ctime'],
  updated: ['updated', 'updated_at', 'updatedAt', 'modified', 'date modified', 'date_modified', 'last modified', 'lastmod', 'mtime'],
  occurred: ['date', 'occurred', 'occurred_at', 'when'],
} as const;

const KNOWN = new Set<string>(Object.values(FIELDS).flat().map((k) => k.toLowerCase()));

/** a field by any of its names, whatever their case */
function field(data: Record<string, unknown>, names: readonly string[]): unknown {
  const lower = new Map(Object.keys(data).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined && data[k] !== null && data[k] !== undefined) return data[k];
  }
  return undefined;
}

export interface NoteFields {
  title?: string;
  tags: string[];
  aliases: string[];
  people: string[];
  places: string[];
  created_at?: string;
  updated_at?: string;
  occurred_at?: string;
  /** true when the front matter holds fields none of the above covers (kept in the body then) */
  hasOtherFields: boolean;
}

export function noteFields(data: Record<string, unknown>): NoteFields {
  const tags = field(data, FIELDS.tags);
  return {
    title: text(field(data, FIELDS.title)),
    // YAML tags are often written `tags: a b` (space-separated, Obsidian accepts it)
    tags: labels(typeof tags === 'string' && !tags.includes(',') ? tags.split(/\s+/) : tags),
    aliases: labels(field(data, FIELDS.aliases)),
    people: labels(field(data, FIELDS.people)),
    places: labels(field(data, FIELDS.places)),
    created_at: fromAnyDate(field(data, FIELDS.created)),
    updated_at: fromAnyDate(field(data, FIELDS.updated)),
    occurred_at: fromAnyDate(field(data, FIELDS.occurred)),
    hasOtherFields: Object.keys(data).some((k) => !KNOWN.has(k.toLowerCase())),
  };
}
