import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import sax from 'sax';
import { invalid } from '../shared/errors';
import { Base64Decoder } from './base64-decoder';
import { fromEnexDate } from './dates';
import { EnmlConverter } from './enml';
import { head, isFile, reasonOf } from './fs-util';
import type { ImportedAttachment, ImportedItem, ImportEvent, ImportReader, ReadOptions } from './item';
import { labels } from './labels';
import { extensionFromMime, mimeOr } from './mime';
import { sha256, sourceHash } from './source-hash';
import { Spool, type SpooledFile, type SpoolWriter } from './spool';

/**
 * Evernote ENEX, streamed: the file is fed to `sax` 64 KiB at a time and each `<note>` becomes an
 * item as soon as its `</note>` arrives, so memory stays bounded whatever the file's size.
 *
 * - `<title>`, `<created>` / `<updated>` (`20231105T101500Z` → ISO 8601), `<tag>`s, and from
 *   `<note-attributes>`: `<subject-date>` → occurred_at, `<place-name>` (else latitude/longitude)
 *   → places, `<source-url>` → a "Source:" line at the end of the body.
 * - `<content>` (ENML) → Markdown (enml.ts).
 * - Each `<resource>`'s base64 `<data>` is decoded as it streams (past sax: see `feed`) into a temp file (spool.ts),
 *   hashed (SHA-256 for the attachment, MD5 for `<en-media hash>`) on the way; its `<mime>` and
 *   `<resource-attributes><file-name>` give type and name. A note's temp files are deleted when
 *   the consumer asks for the next event (see item.ts), and the folder when the reading ends.
 * - A note that is not closed before the next `<note>` (or before the end of the file), holds
 *   malformed XML, or a resource with damaged base64, is a failure (`notes.enex#3`, with its
 *   title); the notes around it arrive.
 */
export const enex: ImportReader = { format: 'enex', detect: detectEnex, read: readEnex };

export async function detectEnex(path: string): Promise<boolean> {
  if (!(await isFile(path))) return false;
  const start = (await head(path, 4096)).toString('utf8');
  return /<en-export[\s>]/.test(start);
}

interface ResourceState {
  writer?: SpoolWriter;
  decoder?: Base64Decoder;
  file?: SpooledFile;
  mime?: string;
  fileName?: string;
  error?: string;
}

interface NoteState {
  index: number;
  depth: number;
  title: string;
  content: string;
  created: string;
  updated: string;
  tags: string[];
  attributes: Record<string, string>;
  resources: ResourceState[];
  error?: string;
}

/** the note's children whose text is kept, by their path below `<note>` */
const CAPTURED = new Set(['title', 'content', 'created', 'updated', 'tag', 'resource/mime', 'resource/resource-attributes/file-name']);

export async function* readEnex(path: string, options: ReadOptions = {}): AsyncGenerator<ImportEvent> {
  if (!(await detectEnex(path))) throw invalid('not an Evernote export (ENEX)', { path });
  const total = (await stat(path)).size;
  const file = basename(path);
  const spool = new Spool(options.tempDir);
  const converter = new EnmlConverter();
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  const queue: ImportEvent[] = [];
  const spooled = new WeakMap<ImportEvent, string[]>();
  const stack: string[] = [];
  let count = 0;
  let note: NoteState | null = null;
  let capture: { key: string; text: string } | null = null;
  let resource: ResourceState | null = null;
  let sawRoot = false;
  const current = (): NoteState | null => note; // (set in the parser's callbacks)

  const fail = (n: NoteState, reason: string): void => {
    for (const r of n.resources) { r.writer?.abandon(); if (r.file) spool.discard(r.file.path); }
    queue.push({ failure: { path: `${file}#${n.index}`, reason: n.title.trim() ? `"${n.title.trim()}": ${reason}` : reason } });
  };
  let skippedLines = 0; // lines of base64 that went past sax (see feed)
  let dataOpened = false;
  const where = (): string => `line ${parser.line + skippedLines + 1}`;
  const rel = (): string => (note ? stack.slice(note.depth + 1).join('/') : '');

  parser.onerror = (e: Error) => {
    const reason = `malformed XML at ${where()}: ${e.message.split('\n')[0]}`;
    if (note && !note.error) note.error = reason;
    (parser as unknown as { error: Error | null }).error = null;
    parser.resume();
  };
  parser.onopentag = (tag) => {
    const name = tag.name;
    if (!sawRoot) {
      sawRoot = true;
      if (name !== 'en-export') throw invalid('not an Evernote export (ENEX): the root is <' + name + '>', { path });
    }
    if (name === 'note' && note) { // the previous one never closed
      fail(note, 'the note is not closed (a new <note> begins inside it)');
      note = null;
    }
    if (name === 'note' && !note) {
      note = { index: ++count, depth: stack.length, title: '', content: '', created: '', updated: '', tags: [], attributes: {}, resources: [] };
      stack.push(name);
      return;
    }
    stack.push(name);
    if (!note) return;
    const r = rel();
    if (r === 'resource') { resource = {}; note.resources.push(resource); }
    else if (r === 'resource/data' && resource) {
      resource.decoder = new Base64Decoder();
      resource.writer = spool.writer();
      dataOpened = true;
    } else if (CAPTURED.has(r) || /^note-attributes\/[^/]+$/.test(r)) capture = { key: r, text: '' };
  };
  const decode = (t: string): void => {
    if (!resource?.writer || !resource.decoder || resource.error) return;
    try { resource.writer.write(resource.decoder.write(t)); } catch (e) { resource.error = reasonOf(e); }
  };
  const onText = (t: string): void => {
    if (capture) { capture.text += t; return; }
    if (note && rel() === 'resource/data') decode(t);
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  parser.onclosetag = (name) => {
    stack.pop();
    if (!note) return;
    if (name === 'note' && stack.length === note.depth) {
      const n = note;
      note = null;
      resource = null;
      capture = null;
      finish(n);
      return;
    }
    const r = stack.slice(note.depth + 1).concat(name).join('/');
    if (capture && capture.key === r) {
      const v = capture.text;
      capture = null;
      if (r === 'title') note.title = v;
      else if (r === 'content') note.content = v;
      else if (r === 'created') note.created = v.trim();
      else if (r === 'updated') note.updated = v.trim();
      else if (r === 'tag') note.tags.push(v);
      else if (r === 'resource/mime' && resource) resource.mime = v.trim();
      else if (r === 'resource/resource-attributes/file-name' && resource) resource.fileName = v.trim();
      else if (r.startsWith('note-attributes/')) note.attributes[r.slice('note-attributes/'.length)] = v.trim();
    } else if (r === 'resource/data' && resource?.writer) {
      try {
        if (resource.error) throw new Error(resource.error);
        resource.writer.write(resource.decoder!.end());
        resource.file = resource.writer.finish();
      } catch (e) {
        resource.error = reasonOf(e);
        resource.writer.abandon();
      }
      resource.writer = undefined;
    } else if (r === 'resource') resource = null;
  };

  const finish = (n: NoteState): void => {
    if (n.error) { fail(n, n.error); return; }
    const bad = n.resources.findIndex((r) => r.error);
    if (bad >= 0) { fail(n, `resource ${bad + 1}: ${n.resources[bad]!.error}`); return; }
    try {
      const item = buildItem(n);
      const ev: ImportEvent = { item };
      spooled.set(ev, n.resources.flatMap((r) => (r.file ? [r.file.path] : [])));
      queue.push(ev);
    } catch (e) {
      fail(n, reasonOf(e));
    }
  };

  const buildItem = (n: NoteState): ImportedItem => {
    const warnings: string[] = [];
    const attachments: ImportedAttachment[] = [];
    const byMd5 = new Map<string, ImportedAttachment>();
    n.resources.forEach((r, i) => {
      if (!r.file) { warnings.push(`resource ${i + 1} has no data`); return; }
      const fallback = `resource-${i + 1}.${extensionFromMime(r.mime ?? '')}`;
      const name = r.fileName || fallback;
      const f = r.file;
      const a: ImportedAttachment = { name, mime: mimeOr(r.mime, name), size: f.size, sha256: f.sha256, open: () => createReadStream(f.path) };
      attachments.push(a);
      if (!byMd5.has(f.md5)) byMd5.set(f.md5, a);
    });
    const { markdown, warnings: w } = converter.convert(n.content, (md5) => byMd5.get(md5));
    warnings.push(...w);
    const at = n.attributes;
    let body = markdown;
    if (at['source-url'] && /^https?:\/\//i.test(at['source-url'])) body += `${body ? '\n\n' : ''}Source: <${at['source-url']}>`;
    const lat = Number(at.latitude), lon = Number(at.longitude);
    const coords = at.latitude && at.longitude && Number.isFinite(lat) && Number.isFinite(lon) && (lat !== 0 || lon !== 0)
      ? `${lat.toFixed(6)}, ${lon.toFixed(6)}` : undefined;
    const dates = { created_at: fromEnexDate(n.created), updated_at: fromEnexDate(n.updated), occurred_at: fromEnexDate(at['subject-date']) };
    if (n.created && !dates.created_at) warnings.push(`created date not understood: ${n.created}`);
    if (n.updated && !dates.updated_at) warnings.push(`updated date not understood: ${n.updated}`);
    return {
      source: {
        format: 'enex',
        path: `${file}#${n.index}`,
        // the note's own fields as written, not their conversion: stable across converter versions
        hash: sourceHash('enex', [n.title, sha256(n.content), n.created, n.updated, n.tags, attachments.map((a) => [a.name, a.sha256])]),
      },
      title: n.title.trim() || 'Untitled',
      body,
      tags: labels(n.tags),
      people: [],
      places: labels(at['place-name'] ?? coords ?? []),
      ...(dates.created_at ? { created_at: dates.created_at } : {}),
      ...(dates.updated_at ? { updated_at: dates.updated_at } : {}),
      ...(dates.occurred_at ? { occurred_at: dates.occurred_at } : {}),
      ...(/- \[[ x]\] /.test(body) && body.split('\n').every((l) => !l.trim() || /^\s*- \[[ x]\] /.test(l)) ? { checklist: true } : {}),
      attachments,
      ...(warnings.length ? { warnings } : {}),
    };
  };

  /**
   * Feeds sax, except the text of a resource's `<data>`: once sax has opened a `<data>` in a
   * resource, the base64 up to the next `<` goes straight to the decoder. Base64 has no `<`, so
   * that `<` begins `</data>`, which sax then sees as usual. Going around sax for the bulk of the
   * file keeps it from building (and the GC from chasing) strings of every resource's text; sax
   * still judges the XML around it. A `<data` split across two chunks waits for the next one.
   */
  let raw = false;
  let carry = '';
  const feed = (chunk: string): void => {
    const s = carry + chunk;
    carry = '';
    let i = 0;
    while (i < s.length) {
      if (raw) {
        const lt = s.indexOf('<', i);
        const text = lt < 0 ? s.slice(i) : s.slice(i, lt);
        decode(text);
        for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) skippedLines++;
        if (lt < 0) return;
        raw = false;
        i = lt;
        continue;
      }
      const k = s.indexOf('<data', i);
      if (k < 0) {
        let keep = 0; // a tail that may be the start of "<data"
        for (let n = Math.min(4, s.length - i); n > 0; n--) if ('<data'.startsWith(s.slice(s.length - n))) { keep = n; break; }
        parser.write(s.slice(i, s.length - keep));
        carry = s.slice(s.length - keep);
        return;
      }
      const gt = s.indexOf('>', k);
      if (gt < 0 && s.length - k < 4096) { parser.write(s.slice(i, k)); carry = s.slice(k); return; }
      const end = gt < 0 ? s.length : gt + 1;
      dataOpened = false;
      parser.write(s.slice(i, end));
      i = end;
      if (dataOpened) raw = true;
    }
  };

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      feed(chunk);
      options.onProgress?.({ unit: 'bytes', done: stream.bytesRead, total });
      while (queue.length) {
        const ev = queue.shift()!;
        options.signal?.throwIfAborted();
        yield ev;
        for (const p of spooled.get(ev) ?? []) spool.discard(p);
      }
    }
    if (carry) parser.write(carry);
    parser.close();
    const open = current();
    if (open) fail(open, 'the file ends inside this note (it is not closed)');
    while (queue.length) {
      const ev = queue.shift()!;
      options.signal?.throwIfAborted();
      yield ev;
      for (const p of spooled.get(ev) ?? []) spool.discard(p);
    }
  } finally {
    stream.destroy();
    for (const r of current()?.resources ?? []) r.writer?.abandon();
    spool.close();
  }
}
