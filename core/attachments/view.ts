import type { Attachment } from '../../contracts/types';
import { iso } from '../shared/time';
import type { AttachmentRow } from '../store/tables/attachments';
import type { AttachmentMeta } from './sealed-meta';

/**
 * What the API shows of an attachment: its ids and time, and the sealed facts once opened (never
 * the key); `available` is false while its chunks are still on their way from another device.
 */
export const toAttachment = (row: Pick<AttachmentRow, 'attachment_id' | 'memory_id' | 'space_id' | 'created_at'>, meta: AttachmentMeta, available = true): Attachment => ({
  attachment_id: row.attachment_id, memory_id: row.memory_id, space_id: row.space_id,
  name: meta.name, mime: meta.mime, size: meta.size, sha256: meta.sha256, created_at: iso(row.created_at), available,
});
