import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { invalid } from '../shared/errors';
import { attachmentMarkdown } from './attachment-ref';
import { fromAnyDate } from './dates';
import { FileAttachments } from './file-attachment';
import { noteFields, parseFrontMatter } from './front-matter';
import type { ImportedAttachment, ImportedItem, ImportEvent, ImportReader, ReadOptions } from './item';
import { labels } from './labels';
import { findLocalRefs, inlineTags, rewriteLocalRefs, type LocalRef } from './markdown-links';
import { mimeFromName, OCTET_STREAM } from './mime';
import { sha256, sourceHash } from './source-hash';
import { baseOf, dirOf, insideRoot, listFiles, someFile, stemOf } from './walk';
import { isDirectory, reasonOf } from './fs-util';

/**
 * A folder of Markdown files (an Obsidian vault, or any folder of `.md`), read one file at a time.
 *
 * - Every `.md` / `.markdown` file under the folder is a note; dot-folders (`.obsidian`, `.trash`)
 *   are skipped.
 * - The note's folder, relative to the root, is one tag with `/` between levels:
 *   `Recipes/Desserts/Pie.md` → tag `Recipes/Desserts` (Obsidian's nested-tag notation). A note at
 *   the top has no folder tag.
 * - YAML front matter (gray-matter, code engines off) gives `title` (else the file name without
 *   its extension), `tags` (plus inline `#tags` of the body), `aliases`, `people`, `places`,
 *   `created` / `updated` (several spellings, see front-matter.ts) and `date` (→ occurred_at).
 *   Without dates in the front matter the file's own times are used (birth time, else
 *   modification time → created_at; modification time → updated_at). When the front matter holds
 *   other fields too, the block is kept verbatim at the top of the body, so nothing is lost.
 * - Wiki links `[[Note]]` and transclusions `![[Note]]` are kept as written. Embeds and links of
 *   local files (`![[img.png]]`, `![](img.png)`, `[[file.pdf]]`, `[x](docs/file.pdf)`) become
 *   attachments, resolved as Obsidian does (next to the note, then from the root, then by file name
 *   anywhere in the folder), only ever inside the folder; the body then links them as
 *   `attachment:<sha256>`. A missing embedded file is a warning and stays as written.
 * - A file whose front matter does not parse, or that cannot be read, is a failure; the rest go on.
 */
export const markdownFolder: ImportReader = {
  format: 'markdown',
  detect: detectMarkdownFolder,
  read: readMarkdownFolder,
};

const NOTE = /\.(md|markdown)$/i;
const READ_AHEAD = 16;

type Loaded = { bytes: Buffer; stats: Stats } | { error: unknown };
const load = (abs: string): Promise<Loaded> =>
  Promise.all([readFile(abs), stat(abs)]).then(([bytes, stats]) => ({ bytes, stats }), (error: unknown) => ({ error }));

export async function detectMarkdownFolder(path: string): Promise<boolean> {
  if (!(await isDirectory(path))) return false;
  if (await isDirectory(join(path, '.obsidian'))) return true;
  return someFile(path, (name) => NOTE.test(name));
}

export async function* readMarkdownFolder(root: string, options: ReadOptions = {}): AsyncGenerator<ImportEvent> {
  if (!(await isDirectory(root))) throw invalid('not a folder of Markdown files', { path: root });
  const files = await listFiles(root);
  const notes = files.filter((f) => NOTE.test(f));
  const vault = new Vault(root, files.filter((f) => !NOTE.test(f)));
  const attachments = new FileAttachments();
  // read-ahead: the next few files load while one is parsed (the reads are small; waiting for each
  // in turn left the process idle most of the time). The window bounds what sits in memory.
  const window: Promise<Loaded>[] = [];
  let next = 0;
  let done = 0;
  for (const rel of notes) {
    options.signal?.throwIfAborted();
    while (window.length < READ_AHEAD && next < notes.length) window.push(load(join(root, notes[next++]!)));
    const loaded = await window.shift()!;
    let event: ImportEvent;
    try {
      if ('error' in loaded) throw loaded.error;
      event = { item: await readNote(root, rel, loaded, vault, attachments) };
    } catch (e) {
      event = { failure: { path: rel, reason: reasonOf(e) } };
    }
    options.onProgress?.({ unit: 'items', done: ++done, total: notes.length });
    yield event;
  }
}

/** the non-note files of the folder, for resolving embeds the way Obsidian does */
class Vault {
  private readonly files: Set<string>;
  private readonly byName = new Map<string, string[]>();

  constructor(readonly root: string, files: string[]) {
    this.files = new Set(files);
    for (const f of files) {
      const k = baseOf(f).toLowerCase();
      const list = this.byName.get(k);
      if (list) list.push(f); else this.byName.set(k, [f]);
    }
  }

  /** the relative path of the file `target` names from a note in `noteDir`, if it is in the folder */
  resolve(target: string, noteDir: string): string | undefined {
    for (const base of [noteDir, '']) {
      const abs = insideRoot(this.root, join(this.root, base), target);
      if (!abs) return undefined; // leaves the folder: never followed
      const rel = posix.normalize((base ? `${base}/` : '') + target.replace(/\\/g, '/'));
      if (this.files.has(rel)) return rel;
    }
    // by name anywhere: the shortest path wins (Obsidian's "shortest path when possible")
    const name = baseOf(target.replace(/\\/g, '/')).toLowerCase();
    const suffix = target.includes('/') ? '/' + target.replace(/\\/g, '/').toLowerCase() : undefined;
    const found = (this.byName.get(name) ?? []).filter((f) => !suffix || ('/' + f.toLowerCase()).endsWith(suffix));
    found.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
    return found[0];
  }
}

const isNoteTarget = (target: string): boolean => NOTE.test(target) || !/\.[A-Za-z0-9]{1,8}$/.test(baseOf(target));
/** `![[img.png|300]]`, `|300x200`: a size, not a caption */
const isSize = (label: string | undefined): boolean => !!label && /^\d+(x\d+)?$/.test(label);

async function readNote(root: string, rel: string, { bytes, stats: s }: { bytes: Buffer; stats: Stats }, vault: Vault, files: FileAttachments): Promise<ImportedItem> {
  const source = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const fm = parseFrontMatter(source);
  const fields = noteFields(fm.data);
  const warnings: string[] = [];

  // local files the note embeds or links: resolved, hashed (streamed), deduplicated
  const noteDir = dirOf(rel);
  const found = new Map<string, ImportedAttachment>(); // rel path → attachment
  const refFile = new Map<LocalRef['whole'], string>();
  for (const ref of findLocalRefs(fm.content)) {
    if (isNoteTarget(ref.target)) continue;
    const fileRel = vault.resolve(ref.target, noteDir);
    if (!fileRel) {
      if (ref.embed || mimeFromName(ref.target) !== OCTET_STREAM) warnings.push(`${ref.embed ? 'embedded' : 'linked'} file not found: ${ref.target}`);
      continue;
    }
    refFile.set(ref.whole, fileRel);
    if (!found.has(fileRel)) {
      try {
        found.set(fileRel, await files.attachment(join(root, fileRel), { name: baseOf(fileRel) }));
      } catch (e) {
        warnings.push(`file ${fileRel} could not be read: ${reasonOf(e)}`);
        refFile.delete(ref.whole);
      }
    }
  }
  let body = rewriteLocalRefs(fm.content, (ref) => {
    const fileRel = refFile.get(ref.whole);
    const a = fileRel ? found.get(fileRel) : undefined;
    if (!a) return undefined;
    const label = ref.syntax === 'wiki' ? (isSize(ref.label) ? a.name : ref.label ?? a.name) : ref.label || a.name;
    return attachmentMarkdown(a, label, ref.embed);
  }).replace(/^(\r?\n)+/, '');
  if (fields.hasOtherFields) body = fm.raw + body;

  const folder = noteDir ? [noteDir] : [];
  const attachments = [...found.values()];
  return {
    source: { format: 'markdown', path: rel, hash: sourceHash('markdown', [rel, sha256(bytes), attachments.map((a) => a.sha256)]) },
    title: fields.title ?? stemOf(baseOf(rel)),
    body,
    tags: labels(fields.tags, inlineTags(fm.content), folder),
    people: fields.people,
    places: fields.places,
    created_at: fields.created_at ?? fromAnyDate(s.birthtimeMs > 0 ? s.birthtimeMs : s.mtimeMs),
    updated_at: fields.updated_at ?? fromAnyDate(s.mtimeMs),
    ...(fields.occurred_at ? { occurred_at: fields.occurred_at } : {}),
    ...(fields.aliases.length ? { aliases: fields.aliases } : {}),
    attachments,
    ...(warnings.length ? { warnings } : {}),
  };
}
