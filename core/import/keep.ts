import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../shared/errors';
import { fromMicros } from './dates';
import { FileAttachments } from './file-attachment';
import { isDirectory, reasonOf } from './fs-util';
import type { ImportedAttachment, ImportedItem, ImportEvent, ImportReader, ReadOptions } from './item';
import { labels } from './labels';
import { sha256, sourceHash } from './source-hash';
import { byCodeUnits, insideRoot, stemOf } from './walk';

/**
 * Google Keep from Google Takeout: the `Keep/` folder holds one JSON file per note (next to an
 * HTML rendering of it, which is ignored) and the note's attached files. The path given may be
 * that folder, the `Takeout/` folder above it, or the folder above that.
 *
 * - `title` (else the first line of the text, else the file name), `textContent` as the body
 *   (plain text, kept as written), or `listContent` [{text, isChecked}] as a task list
 *   (`- [x] text`, `checklist: true`); `annotations` (web links) as links after the text.
 * - `labels` [{name}] → tags; `createdTimestampUsec` / `userEditedTimestampUsec` (µs) →
 *   created_at / updated_at; `isArchived`, `isTrashed`, `isPinned` → archived, trashed, pinned.
 * - `attachments` [{filePath, mimetype}] → attachments from the folder (when the named file is
 *   missing, a file with the same stem and another extension is taken: Takeout sometimes names
 *   a `.jpg` as `.jpeg`); one still missing is a warning.
 * - A file that is not valid JSON, or not a Keep note, is a failure; the rest go on.
 */
export const keep: ImportReader = { format: 'keep', detect: detectKeep, read: readKeep };

type Json = Record<string, unknown>;

const isKeepNote = (o: unknown): o is Json =>
  !!o && typeof o === 'object' && !Array.isArray(o) &&
  ('textContent' in o || 'listContent' in o || typeof (o as Json).userEditedTimestampUsec === 'number');

const jsonFiles = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.') && /\.json$/i.test(e.name))
    .map((e) => e.name)
    .sort(byCodeUnits);

/** the Keep folder for `path` and its path relative to `path` ('' when it is `path` itself) */
export async function keepFolder(path: string): Promise<{ dir: string; prefix: string } | undefined> {
  for (const prefix of ['', 'Keep', 'Takeout/Keep']) {
    const dir = prefix ? join(path, prefix) : path;
    if (!(await isDirectory(dir))) continue;
    for (const name of (await jsonFiles(dir)).slice(0, 8)) {
      try {
        if (isKeepNote(JSON.parse(await readFile(join(dir, name), 'utf8')))) return { dir, prefix };
      } catch { /* a broken one: look at the next */ }
    }
  }
  return undefined;
}

export async function detectKeep(path: string): Promise<boolean> {
  return (await keepFolder(path)) !== undefined;
}

export async function* readKeep(path: string, options: ReadOptions = {}): AsyncGenerator<ImportEvent> {
  const folder = await keepFolder(path);
  if (!folder) throw invalid('not a Google Keep Takeout folder (no Keep note JSON found)', { path });
  const { dir, prefix } = folder;
  const all = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const byStem = new Map<string, string[]>();
  for (const n of all) {
    const k = stemOf(n).toLowerCase();
    byStem.set(k, [...(byStem.get(k) ?? []), n]);
  }
  const notes = await jsonFiles(dir);
  const files = new FileAttachments();
  let done = 0;
  for (const name of notes) {
    options.signal?.throwIfAborted();
    const rel = prefix ? `${prefix}/${name}` : name;
    let event: ImportEvent;
    try {
      event = { item: await readNote(dir, name, rel, byStem, files) };
    } catch (e) {
      event = { failure: { path: rel, reason: reasonOf(e) } };
    }
    options.onProgress?.({ unit: 'items', done: ++done, total: notes.length });
    yield event;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

async function readNote(dir: string, name: string, rel: string, byStem: Map<string, string[]>, files: FileAttachments): Promise<ImportedItem> {
  const bytes = await readFile(join(dir, name));
  let o: unknown;
  try {
    o = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`malformed JSON: ${reasonOf(e)}`);
  }
  if (!isKeepNote(o)) throw new Error('not a Google Keep note (no textContent, listContent or userEditedTimestampUsec)');
  const warnings: string[] = [];

  const list = Array.isArray(o.listContent) ? (o.listContent as unknown[]) : undefined;
  const text = str(o.textContent).replace(/\r\n?/g, '\n');
  let body = list
    ? list.filter((x): x is Json => !!x && typeof x === 'object')
      .map((x) => `- [${x.isChecked === true ? 'x' : ' '}] ${str(x.text).replace(/\r\n?/g, '\n').replace(/\n/g, '\n  ')}`)
      .join('\n')
    : text;
  const links = (Array.isArray(o.annotations) ? (o.annotations as unknown[]) : [])
    .filter((a): a is Json => !!a && typeof a === 'object' && /^https?:\/\//i.test(str((a as Json).url)))
    .map((a) => `[${(str(a.title) || str(a.url)).replace(/([\\[\]])/g, '\\$1')}](<${str(a.url)}>)`);
  if (links.length) body += (body ? '\n\n' : '') + links.join('\n');

  const attachments: ImportedAttachment[] = [];
  for (const a of Array.isArray(o.attachments) ? (o.attachments as unknown[]) : []) {
    if (!a || typeof a !== 'object') continue;
    const filePath = str((a as Json).filePath);
    const file = locate(dir, filePath, byStem);
    if (!file) { warnings.push(`attachment not found: ${filePath || '(no filePath)'}`); continue; }
    try {
      const att = await files.attachment(join(dir, file), { name: file, mime: str((a as Json).mimetype) });
      if (!attachments.some((x) => x.sha256 === att.sha256)) attachments.push(att);
    } catch (e) {
      warnings.push(`attachment ${file} could not be read: ${reasonOf(e)}`);
    }
  }

  const firstLine = (list ? str((list[0] as Json | undefined)?.text) : text).split('\n').find((l) => l.trim())?.trim() ?? '';
  const title = str(o.title).trim() || (firstLine.length > 80 ? firstLine.slice(0, 79) + '…' : firstLine) || stemOf(name);
  const updated_at = fromMicros(o.userEditedTimestampUsec);
  const created_at = fromMicros(o.createdTimestampUsec) ?? updated_at;
  return {
    source: { format: 'keep', path: rel, hash: sourceHash('keep', [name, sha256(bytes), attachments.map((x) => x.sha256)]) },
    title,
    body,
    tags: labels((Array.isArray(o.labels) ? (o.labels as unknown[]) : []).map((l) => (l && typeof l === 'object' ? (l as Json).name : l))),
    people: [],
    places: [],
    ...(created_at ? { created_at } : {}),
    ...(updated_at ? { updated_at } : {}),
    ...(o.isArchived === true ? { archived: true } : {}),
    ...(o.isTrashed === true ? { trashed: true } : {}),
    ...(o.isPinned === true ? { pinned: true } : {}),
    ...(list ? { checklist: true } : {}),
    attachments,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** the attached file's name in the folder: as named, else the same stem with another extension */
function locate(dir: string, filePath: string, byStem: Map<string, string[]>): string | undefined {
  if (!filePath || !insideRoot(dir, dir, filePath) || filePath.includes('/') || filePath.includes('\\')) return undefined;
  const same = byStem.get(stemOf(filePath).toLowerCase()) ?? [];
  return same.find((n) => n === filePath) ?? same.find((n) => n.toLowerCase() === filePath.toLowerCase()) ?? same.find((n) => !/\.(json|html)$/i.test(n));
}
