import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../shared/errors';
import { attachmentUrl } from './attachment-ref';
import { fromAnyDate, fromMillis } from './dates';
import { EnmlConverter } from './enml';
import { FileAttachments } from './file-attachment';
import { head, isDirectory, reasonOf } from './fs-util';
import type { ImportedAttachment, ImportedItem, ImportEvent, ImportReader, ReadOptions } from './item';
import { JOPLIN_TYPE, parseJoplinItem, type JoplinItem } from './joplin-raw';
import { labels } from './labels';
import { sha256, sourceHash } from './source-hash';
import { byCodeUnits } from './walk';

/**
 * A Joplin RAW export: a flat folder of `<32 hex id>.md` items (notes, notebooks, tags, note-tag
 * links, resources; see joplin-raw.ts) and `resources/<id>.<ext>` with the resources' bytes.
 * Read in two passes: the first keeps the small items (notebooks, tags, links, resources, note
 * titles), the second reads the notes again one at a time.
 *
 * - A note's notebook and its parents become one tag `Parent/Child` (as folders do for a
 *   Markdown folder); its tags (via note_tag items; a nested tag as `parent/child`) follow.
 * - `![x](:/<resource id>)`, `[x](:/<resource id>)` and `src=":/<id>"` → attachments from
 *   `resources/`, linked as `attachment:<sha256>`; `[x](:/<note id>)` → the wiki link `[[Title]]`
 *   (`[[Title|x]]` when the text differs).
 * - `user_created_time` / `user_updated_time` (else `created_time` / `updated_time`) → dates;
 *   a to-do (`is_todo: 1`) gets a first line `- [ ] Title` (`- [x]` when `todo_completed`, with
 *   `todo_due` when set); `deleted_time` > 0 → trashed; `latitude`/`longitude` → a place;
 *   `source_url` → a "Source:" line; an HTML note (`markup_language: 2`) goes through turndown.
 * - An item that does not parse, or is still encrypted, is a failure; the rest go on.
 */
export const joplin: ImportReader = { format: 'joplin', detect: detectJoplin, read: readJoplin };

const ITEM = /^[0-9a-f]{32}\.md$/;
const REF = /(!?)\[((?:\\.|[^\]\\\n])*)\]\(\s*:\/([0-9a-f]{32})(#[^)\s]*)?\s*(?:"[^"\n]*")?\s*\)|(src|href)=(["']):\/([0-9a-f]{32})\6/g;

const items = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && ITEM.test(e.name)).map((e) => e.name).sort(byCodeUnits);

export async function detectJoplin(path: string): Promise<boolean> {
  if (!(await isDirectory(path))) return false;
  const names = await items(path);
  for (const name of names.slice(0, 8)) {
    const tail = (await head(join(path, name), 1 << 20)).toString('utf8');
    if (/(^|\n)id: [0-9a-f]{32}\s*\n[\s\S]*\ntype_: \d+\s*$/.test(tail)) return true;
  }
  return false;
}

interface Named { title: string; parent_id: string }
interface Resource { title: string; mime: string; ext: string }

export async function* readJoplin(root: string, options: ReadOptions = {}): AsyncGenerator<ImportEvent> {
  if (!(await detectJoplin(root))) throw invalid('not a Joplin RAW export (no <id>.md items)', { path: root });
  const names = await items(root);

  // pass 1: everything but the notes' bodies
  const folders = new Map<string, Named>();
  const tags = new Map<string, Named>();
  const noteTags = new Map<string, string[]>();
  const resources = new Map<string, Resource>();
  const noteTitles = new Map<string, string>();
  const broken = new Map<string, string>();
  const notes = new Set<string>();
  for (const name of names) {
    options.signal?.throwIfAborted();
    let it: JoplinItem;
    try {
      it = parseJoplinItem(await readFile(join(root, name), 'utf8'));
    } catch (e) {
      broken.set(name, reasonOf(e));
      continue;
    }
    const p = it.props;
    const id = p.id ?? name.slice(0, 32);
    if (it.type === JOPLIN_TYPE.note) { notes.add(name); noteTitles.set(id, it.title); }
    else if (it.type === JOPLIN_TYPE.folder) folders.set(id, { title: it.title, parent_id: p.parent_id ?? '' });
    else if (it.type === JOPLIN_TYPE.tag) tags.set(id, { title: it.title, parent_id: p.parent_id ?? '' });
    else if (it.type === JOPLIN_TYPE.noteTag && p.note_id && p.tag_id) noteTags.set(p.note_id, [...(noteTags.get(p.note_id) ?? []), p.tag_id]);
    else if (it.type === JOPLIN_TYPE.resource) resources.set(id, { title: it.title, mime: p.mime ?? '', ext: p.file_extension ?? '' });
  }
  const resourceFiles = new Map<string, string>(); // id → file name in resources/
  const resDir = join(root, 'resources');
  if (await isDirectory(resDir)) {
    for (const e of await readdir(resDir, { withFileTypes: true })) {
      const id = /^([0-9a-f]{32})(\.|$)/.exec(e.name)?.[1];
      if (e.isFile() && id && !resourceFiles.has(id)) resourceFiles.set(id, e.name);
    }
  }

  const path = (map: Map<string, Named>, id: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let cur = map.get(id); cur && !seen.has(id); id = cur.parent_id, cur = map.get(id)) {
      seen.add(id);
      out.unshift(cur.title.trim() || 'Untitled');
    }
    return out;
  };
  const ctx: NoteContext = {
    root, resources, resourceFiles, noteTitles, files: new FileAttachments(),
    notebook: (id) => path(folders, id).join('/'),
    tagsOf: (noteId) => (noteTags.get(noteId) ?? []).filter((t) => tags.has(t)).map((t) => path(tags, t).join('/')),
    html: undefined,
  };

  // pass 2: the notes, and the failures in their place
  let done = 0;
  for (const name of names) {
    const reason = broken.get(name);
    if (reason !== undefined) { yield { failure: { path: name, reason } }; continue; }
    if (!notes.has(name)) continue;
    options.signal?.throwIfAborted();
    let event: ImportEvent;
    try {
      event = { item: await readNote(name, ctx) };
    } catch (e) {
      event = { failure: { path: name, reason: reasonOf(e) } };
    }
    options.onProgress?.({ unit: 'items', done: ++done, total: notes.size });
    yield event;
  }
}

interface NoteContext {
  root: string;
  resources: Map<string, Resource>;
  resourceFiles: Map<string, string>;
  noteTitles: Map<string, string>;
  files: FileAttachments;
  notebook(folderId: string): string;
  tagsOf(noteId: string): string[];
  html: EnmlConverter | undefined;
}

const flag = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0';
const date = (v: string | undefined): string | undefined => (v && v !== '0' ? fromAnyDate(v) : undefined);

async function readNote(name: string, ctx: NoteContext): Promise<ImportedItem> {
  const bytes = await readFile(join(ctx.root, name));
  const it = parseJoplinItem(bytes.toString('utf8'));
  const p = it.props;
  if (flag(p.encryption_applied)) throw new Error('the note is encrypted (export it from Joplin after it has been decrypted)');
  const id = p.id ?? name.slice(0, 32);
  const warnings: string[] = [];

  // resources the body names, as attachments
  const byId = new Map<string, ImportedAttachment>();
  for (const m of it.body.matchAll(REF)) {
    const rid = m[3] ?? m[7]!;
    if (byId.has(rid) || ctx.noteTitles.has(rid)) continue;
    const res = ctx.resources.get(rid);
    const file = ctx.resourceFiles.get(rid);
    if (!file) { warnings.push(`resource ${rid} not found in resources/`); continue; }
    const fileName = res?.title.trim() || (res?.ext ? `${rid}.${res.ext}` : file);
    try {
      byId.set(rid, await ctx.files.attachment(join(ctx.root, 'resources', file), { name: fileName, mime: res?.mime }));
    } catch (e) {
      warnings.push(`resource ${rid} could not be read: ${reasonOf(e)}`);
    }
  }
  let body = it.body.replace(REF, (whole, bang: string | undefined, text: string | undefined, rid: string | undefined, _frag, attr: string | undefined, q: string | undefined, hid: string | undefined) => {
    if (attr) {
      const a = byId.get(hid!);
      return a ? `${attr}=${q}${attachmentUrl(a.sha256)}${q}` : whole;
    }
    const a = byId.get(rid!);
    if (a) return `${bang}[${text}](${attachmentUrl(a.sha256)})`;
    const title = ctx.noteTitles.get(rid!);
    if (title !== undefined && !bang) {
      const shown = (text ?? '').replace(/\\(.)/g, '$1');
      return shown && shown !== title ? `[[${title}|${shown}]]` : `[[${title}]]`;
    }
    return whole;
  });
  if (p.markup_language === '2') {
    ctx.html ??= new EnmlConverter();
    const r = ctx.html.convert(body, () => undefined);
    body = r.markdown;
  }
  const title = it.title.trim() || 'Untitled';
  if (flag(p.is_todo)) {
    const due = fromMillis(p.todo_due);
    body = `- [${flag(p.todo_completed) ? 'x' : ' '}] ${title}${due ? ` (due ${due})` : ''}` + (body.trim() ? '\n\n' + body : '');
  }
  if (p.source_url && /^https?:\/\//i.test(p.source_url)) body += `${body.trim() ? '\n\n' : ''}Source: <${p.source_url}>`;
  if (flag(p.is_conflict)) warnings.push('a conflict copy in Joplin');

  const lat = Number(p.latitude), lon = Number(p.longitude);
  const place = Number.isFinite(lat) && Number.isFinite(lon) && (lat !== 0 || lon !== 0) ? `${lat.toFixed(6)}, ${lon.toFixed(6)}` : undefined;
  const notebook = p.parent_id ? ctx.notebook(p.parent_id) : '';
  const noteTags = ctx.tagsOf(id);
  const attachments = [...byId.values()];
  const created_at = date(p.user_created_time) ?? date(p.created_time);
  const updated_at = date(p.user_updated_time) ?? date(p.updated_time);
  return {
    source: {
      format: 'joplin',
      path: name,
      hash: sourceHash('joplin', [id, sha256(bytes), notebook, [...noteTags].sort(), attachments.map((a) => a.sha256)]),
    },
    title,
    body,
    tags: labels(notebook ? [notebook] : [], noteTags),
    people: [],
    places: place ? [place] : [],
    ...(created_at ? { created_at } : {}),
    ...(updated_at ? { updated_at } : {}),
    ...(flag(p.deleted_time) ? { trashed: true } : {}),
    attachments,
    ...(warnings.length ? { warnings } : {}),
  };
}
