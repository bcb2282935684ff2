import { addAttachment } from '../attachments';
import { checkMime, checkName } from '../attachments/names';
import type { Ctx } from '../context/ctx';
import { rewriteAttachmentRefs, type ImportedAttachment } from '../import';
import { attachmentMaxBytes } from '../settings/settings';
import { ulid } from '../shared/ulid';

/** The files of one item that will be stored, each with the id it will get. */
export interface AttachmentPlan {
  files: { a: ImportedAttachment; attachment_id: string; name: string; mime: string }[];
  /** the body with each planned file's `attachment:<sha256>` turned into `attachment:<id>` */
  rewrite(body: string): string;
  warnings: string[];
}

/** a file is named in the report by its hash, never its name */
const label = (a: ImportedAttachment): string => `sha256 ${a.sha256.slice(0, 12)}…, ${a.size} bytes`;

/**
 * Decides, before anything is written, which of an item's files will be kept and under which
 * ids: the ids go into the memory's text as it is written (`attachment:<id>`, what the editor
 * opens), so the text is complete in the memory's one write. The same bytes twice in one item
 * are one file. A file over the attachment size cap is not stored (a warning; its link keeps
 * the hash); a name or type the store would refuse is replaced by a safe one.
 */
export function planAttachments(ctx: Ctx, attachments: ImportedAttachment[]): AttachmentPlan {
  const max = attachmentMaxBytes(ctx);
  const warnings: string[] = [];
  const bySha = new Map<string, AttachmentPlan['files'][number]>();
  for (const a of attachments) {
    if (bySha.has(a.sha256)) continue;
    if (a.size > max) { warnings.push(`attachment not stored (${label(a)}): larger than the ${max}-byte limit`); continue; }
    let name: string;
    try { name = checkName(a.name); } catch { name = `attachment-${a.sha256.slice(0, 12)}`; }
    let mime: string;
    try { mime = checkMime(a.mime); } catch { mime = 'application/octet-stream'; }
    bySha.set(a.sha256, { a, attachment_id: ulid(ctx.clock.now()), name, mime });
  }
  return {
    files: [...bySha.values()],
    rewrite: (body) => rewriteAttachmentRefs(body, (sha) => { const f = bySha.get(sha); return f ? `attachment:${f.attachment_id}` : undefined; }),
    warnings,
  };
}

/**
 * Stores the planned files with the memory just written, one after the other, each streamed from
 * the source and checked against the hash the reader gave (attachment.add's own guarantees:
 * encrypted in chunks, all of a file or none of it). The files cannot share the memory's
 * transaction (they are read and encrypted as streams); one that fails is a warning naming it,
 * and the rest go on.
 */
export async function storeAttachments(ctx: Ctx, actor: string, memoryId: string, plan: AttachmentPlan): Promise<string[]> {
  const warnings: string[] = [];
  for (const f of plan.files) {
    try {
      await addAttachment(ctx, actor, { memory_id: memoryId, source: f.a.open(), name: f.name, mime: f.mime, sha256: f.a.sha256, attachment_id: f.attachment_id });
    } catch (e) {
      warnings.push(`attachment not stored (${label(f.a)}): ${(e as Error).message.split('\n')[0]!.slice(0, 200)}`);
    }
  }
  return warnings;
}
