import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ImportedItem } from '../import';
import { archiveEntries } from '../privacy/archive/entries';
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
 * contracts/storage/export-memory.schema.json, and handed on with its band, type and expiry.
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

/** The memories of a verified archive, in archive order. */
export async function* readExportMemories(path: string, o: SourceOptions): AsyncGenerator<SourceEvent> {
  let done = 0;
  for await (const e of archiveEntries(path, o.passphrase)) {
    if (o.signal.aborted) throw o.signal.reason;
    if (++done % 64 === 0) o.onProgress({ unit: 'items', done: e.total + done, total: e.total * 2 });
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
    // the source item is the file's own bytes: the same memory in a later export is the same item
    const hash = createHash('sha256').update(bytes).digest('hex');
    // the archive's attachment files are not read yet (attachment storage is not wired into
    // imports): each is named by its hash, never its file name, in the report
    const warnings = m.attachments.map((a) => `attachment not stored (sha256 ${a.sha256.slice(0, 12)}…, ${a.size} bytes)`);
    yield {
      source: {
        item: { ...itemOf(m, e.name, hash), ...(warnings.length ? { warnings } : {}) },
        kept: { band: m.band, type: m.type, expires_at: m.expires_at, recipients: m.recipients.length },
      },
    };
  }
}
