import type { ExportMemoryRecord, ExportMemoryRecordAttachment } from '../../../contracts/types';
import { describeErrors, validatorFor } from '../../schemas/validator';
import { EXPORT_MEMORY_SCHEMA } from './manifest';

/** One memory as the archive holds it: memories/<memory_id>.json, valid against contracts/storage/export-memory.schema.json. */
export type ExportMemory = ExportMemoryRecord;
export type ExportAttachment = ExportMemoryRecordAttachment;

/** The schema's field order, which every file follows whatever the order of the object passed in. */
export const EXPORT_MEMORY_FIELDS = [
  'memory_id', 'space_id', 'space_name', 'type', 'band', 'title', 'body', 'tags', 'people', 'places',
  'occurred_at', 'expires_at', 'author', 'origin_device', 'created_at', 'updated_at', 'deleted_at',
  'version', 'recipients', 'attachments',
] as const satisfies readonly (keyof ExportMemory)[];

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function checkId(id: string): string {
  if (!ULID.test(id)) throw new TypeError(`not a memory id: ${JSON.stringify(id)}`);
  return id;
}

export const memoryJsonPath = (memoryId: string): string => `memories/${checkId(memoryId)}.json`;
export const memoryMarkdownPath = (memoryId: string): string => `memories/${checkId(memoryId)}.md`;

export class ExportMemoryInvalidError extends Error {
  constructor(readonly memoryId: unknown, readonly problems: { path: string; message: string }[]) {
    super(`memory ${String(memoryId)} is not valid against ${EXPORT_MEMORY_SCHEMA}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    this.name = 'ExportMemoryInvalidError';
  }
}

/** Throws ExportMemoryInvalidError unless `m` is valid against the export-memory contract. */
export function checkExportMemory(m: unknown): asserts m is ExportMemory {
  const v = validatorFor(EXPORT_MEMORY_SCHEMA);
  if (!v(m)) throw new ExportMemoryInvalidError((m as { memory_id?: unknown } | null)?.memory_id, describeErrors(v.errors));
}

/** The memory in the schema's field order. */
export function orderedMemory(m: ExportMemory): ExportMemory {
  const out: Record<string, unknown> = {};
  for (const k of EXPORT_MEMORY_FIELDS) out[k] = m[k];
  return out as unknown as ExportMemory;
}

/** memories/<id>.json: checked against the contract, 2-space JSON, a final newline. */
export function exportMemoryJson(m: ExportMemory): Buffer {
  checkExportMemory(m);
  return Buffer.from(JSON.stringify(orderedMemory(m), null, 2) + '\n', 'utf8');
}
