import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ImportedAttachment, ImportedItem } from '../import';
import { archiveEntries, type ArchiveEntry } from '../privacy/archive/entries';
import { checkExportMemory, type ExportMemory } from '../privacy/archive/export-memory';
import { verifyExport, VerifyCancelled, type VerifyResult } from '../privacy/archive/verify';
import { ApiError, invalid } from '../shared/errors';
import type { SourceEvent, SourceOptions } from './source';

/** memories/<memory_id>.json: the only files of an export an import reads (the .md beside each is the same memory for people) */
const MEMORY_JSON = /^memories\/[0-9A-HJKMNP-TV-Z]{26}\.json$/;
/** a memory's JSON is its text (≤ 1,000,000 characters, ≤ 4 bytes each) and a little more */
const MEMORY_JSON_MAX = 4_200_000;

export interface VerifiedArchive { files: number; encrypted: boolean; signing_device_id: string; generated_at: string }

/**
 * A MemoryOS export as an import source (the backup-and-restore path). The archive is verified
 * first, whole (verifyExport: every file's size and SHA-256, nothing unlisted, the manifest's
 * signature): nothing is imported from an archive that does not verify. The signature is checked
 * against the key the manifest names: a fresh vault does not know the exporting device's key, so
 * this proves the archive whole and unchanged since it was signed, and the report names the
 * signing device. Then each memory's JSON is read, checked against
 * contracts/storage/export-memory.schema.json, and handed on with its band, type, expiry and files.
 */
export async function verifyArchive(path: string, o: Pick<SourceOptions, 'passphrase' | 'signal' | 'onProgress'>): Promise<VerifiedArchive> {
  let r: VerifyResult;
  try {
    r = await verifyExport(path, { passphrase: o.passphrase, cancelled: () => o.signal.aborted, onProgress: (done, total) => o.onProgress({ unit: 'items', done, total: total * 2 }) });
  } catch (e) {
    if (e instanceof VerifyCancelled) throw o.signal.reason ?? e;
    throw e;
  }
  if (!r.valid) {
    const { reason, path: where } = r.first_bad;
    if (reason === 'passphrase_required') throw invalid('the export is encrypted: give its passphrase', { fields: ['passphrase'] });
    if (reason === 'wrong_passphrase') throw new ApiError('BAD_CREDENTIALS', 'wrong passphrase for the encrypted export');
    throw invalid(`the export did not verify (${reason}): nothing was imported`, { first_bad: { path: where === path ? '' : where, reason } });
  }
  return { files: r.files, encrypted: r.encrypted, signing_device_id: r.signing_device.device_id, generated_at: r.generated_at };
}

async function readAll(stream: Readable, max: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) { stream.destroy(); return null; }
    parts.push(c);
  }
  return Buffer.concat(parts);
}

function itemOf(m: ExportMemory, path: string, hash: string): ImportedItem {
  return {
    source: { format: 'memoryos', path, hash },
    title: m.title, body: m.body, tags: m.tags, people: m.people, places: m.places,
    created_at: m.created_at, updated_at: m.updated_at, ...(m.occurred_at ? { occurred_at: m.occurred_at } : {}),
    trashed: m.deleted_at !== null,
    attachments: [],
  };
}

/** `[label](attachment:<id>)` or `![label](attachment:<id>)` as the editor writes them; group 1 the label, 2 the id */
const ID_REF = /!?\[((?:\\.|[^\]\\])*)\]\(attachment:([0-9A-HJKMNP-TV-Z]{26})\)/g;
const unescapeLabel = (l: string): string => l.replace(/\\([\\[\]])/g, '$1');

/**
 * An exported body names its files by the attachment ids of the vault it came from, which the
 * export's records do not carry; the editor labels each link with the file's name, so a link is
 * matched to the record of that name (the first not yet matched when names repeat) and turned
 * into the reader convention, `attachment:<sha256>`, which the importer maps to the new ids. A
 * link that matches no record is left as written.
 */
export function linksBySha(body: string, files: ExportMemory['attachments']): { body: string; unmatched: number } {
  const byId = new Map<string, string>();
  const used = new Set<number>();
  let unmatched = 0;
  for (const m of body.matchAll(ID_REF)) {
    const [, label, id] = m as unknown as [string, string, string];
    if (byId.has(id)) continue;
    const name = unescapeLabel(label);
    const i = files.findIndex((f, n) => !used.has(n) && f.name === name);
    if (i < 0) { unmatched++; continue; }
    used.add(i);
    byId.set(id, files[i]!.sha256);
  }
  return { body: body.replace(/attachment:([0-9A-HJKMNP-TV-Z]{26})/g, (whole, id: string) => (byId.has(id) ? `attachment:${byId.get(id)}` : whole)), unmatched };
}

/** A stream of an archive entry, opened when read (the reader hands a stream at once; yauzl opens one asynchronously). */
const entryStream = (e: ArchiveEntry): Readable => Readable.from((async function* () { yield* (await e.open()) as AsyncIterable<Buffer>; })());

/** The memories of a verified archive, in archive order, each with the files that follow it. */
export async function* readExportMemories(path: string, o: SourceOptions): AsyncGenerator<SourceEvent> {
  let done = 0;
  const it = archiveEntries(path, o.passphrase)[Symbol.asyncIterator]();
  let held: (ArchiveEntry & { total: number }) | undefined;
  const next = async (): Promise<(ArchiveEntry & { total: number }) | undefined> => {
    if (held) { const h = held; held = undefined; return h; }
    const r = await it.next();
    if (r.done) return undefined;
    if (++done % 64 === 0) o.onProgress({ unit: 'items', done: r.value.total + done, total: r.value.total * 2 });
    return r.value;
  };
  try {
    for (let e = await next(); e; e = await next()) {
      if (o.signal.aborted) throw o.signal.reason;
      if (!MEMORY_JSON.test(e.name)) continue;
      const bytes = e.size > MEMORY_JSON_MAX ? null : await readAll(await e.open(), MEMORY_JSON_MAX);
      if (!bytes) { yield { failure: { path: e.name, reason: 'the file is larger than a memory can be' } }; continue; }
      let m: ExportMemory;
      try {
        const parsed: unknown = JSON.parse(bytes.toString('utf8'));
        checkExportMemory(parsed);
        m = parsed;
      } catch (err) {
        yield { failure: { path: e.name, reason: `not a memory of an export: ${String((err as Error).message).split('\n')[0]!.slice(0, 300)}` } };
        continue;
      }
      // its files follow it in the archive (the export writes memories/<id>.json, .md, then
      // attachments/<id>/…): gathered here, read only when the importer stores them, in order
      const wanted = new Map(m.attachments.map((a) => [a.path, a]));
      const found: ImportedAttachment[] = [];
      const markdown = e.name.replace(/\.json$/, '.md');
      while (wanted.size) {
        const f = await next();
        if (!f) break;
        const rec = wanted.get(f.name);
        if (rec) {
          wanted.delete(f.name);
          found.push({ name: rec.name, mime: rec.mime, size: rec.size, sha256: rec.sha256, open: () => entryStream(f) });
        } else if (f.name !== markdown) { held = f; break; }
      }
      const warnings = [...wanted.values()].map((a) => `attachment not stored (sha256 ${a.sha256.slice(0, 12)}…, ${a.size} bytes): not where the export puts it, after its memory`);
      const links = linksBySha(m.body, m.attachments);
      if (links.unmatched) warnings.push(`${links.unmatched} link(s) to files in the text match no file of the memory: left as written`);
      // the source item is the file's own bytes (its files' hashes are in them): the same memory
      // in a later export is the same item
      const hash = createHash('sha256').update(bytes).digest('hex');
      yield {
        source: {
          item: { ...itemOf({ ...m, body: links.body }, e.name, hash), attachments: found, ...(warnings.length ? { warnings } : {}) },
          kept: { band: m.band, type: m.type, expires_at: m.expires_at, recipients: m.recipients.length },
        },
      };
    }
  } finally {
    await it.return?.(undefined);
  }
}
