import { addAttachment, deleteAttachment, getAttachment, listAttachments } from '../../attachments';
import { invalid } from '../../shared/errors';
import type { HandlersOf } from '../handler';

/** base64 as RFC 4648 writes it: Buffer.from would skip what is not, and keep a different file */
function decodeBase64(s: string): Buffer {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw invalid('data_base64 is not base64', { field: 'data_base64' });
  return Buffer.from(s, 'base64');
}

export const attachmentHandlers: HandlersOf<'attachment'> = {
  'attachment.add': async ({ ctx, actor }, p) => ({
    attachment: await addAttachment(ctx, actor, { memory_id: p.memory_id, name: p.name, mime: p.mime, source: p.path ?? decodeBase64(p.data_base64 ?? '') }),
  }),
  'attachment.list': ({ ctx, actor }, p) => ({ attachments: listAttachments(ctx, actor, p.memory_id) }),
  'attachment.get': ({ ctx, actor }, p) => getAttachment(ctx, actor, p.attachment_id, p.out),
  'attachment.delete': ({ ctx, actor }, p) => deleteAttachment(ctx, actor, p.attachment_id),
};
