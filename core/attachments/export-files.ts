import type { ExportMemoryRecordAttachment } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { dekFor } from '../memories/memories';
import { loadRecord, type MemoryRecord } from '../memories/read-model';
import { attachmentBlobsTable, attachmentsTable } from '../store/tables/attachments';
import { openOrFail } from './access';
import { attachmentBytes } from './get';

/** An attachment as a file of a person's export: its record in memories/<id>.json, and its decrypted bytes. */
export interface ExportFile { record: ExportMemoryRecordAttachment; bytes: () => Generator<Uint8Array> }

// what Windows, macOS and Linux all take in a file name, so the archive unpacks anywhere
const unsafe = /[<>:"|?*\\/]/g;
const safeName = (name: string): string => name.replace(unsafe, '_').replace(/[. ]+$/, '_');

/** a second file of the same name in a memory: "photo (2).jpg" */
function uniquePath(dir: string, name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let path = `${dir}/${name}`;
  for (let n = 2; taken.has(path.toLowerCase()); n++) path = `${dir}/${stem} (${n})${ext}`;
  taken.add(path.toLowerCase());
  return path;
}

/**
 * The files of one memory held whole on this device, as the export writes them: attachments/<memory_id>/<name>, decrypted,
 * each streamed a chunk at a time (the archive's manifest hashes what is written, and the
 * record carries the SHA-256 the file had when it was added; attachmentBytes refuses a file
 * whose bytes no longer hash to it). `dek` is the memory's key as the exporting person opens it.
 */
export function exportFilesOf(ctx: Ctx, rec: Pick<MemoryRecord, 'memory_id'>, dek: Uint8Array): ExportFile[] {
  const taken = new Set<string>();
  // a file whose chunks have not arrived from another device yet is not here to export (counted by the caller)
  const here = attachmentsTable.ofMemory(ctx.db, rec.memory_id).filter((row) => attachmentBlobsTable.find(ctx.db, row.blob_id)?.complete === 1);
  return here.map((row) => {
    const meta = openOrFail(row, dek);
    const record = { name: meta.name, mime: meta.mime, size: meta.size, sha256: meta.sha256, path: uniquePath(`attachments/${rec.memory_id}`, safeName(meta.name), taken) };
    return { record, bytes: () => attachmentBytes(ctx, { row, meta }) };
  });
}

/** The same, for the export's writer, which holds only the memory's id and whose export it is. */
export function exportFilesFor(ctx: Ctx, memoryId: string, subject: string): ExportFile[] {
  const rec = loadRecord(ctx, memoryId);
  return exportFilesOf(ctx, rec, dekFor(ctx, rec, subject, false)); // read once: not kept in the DEK cache
}
