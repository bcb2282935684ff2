import { ApiError } from '../../shared/errors';
import type { HandlersOf } from '../handler';

const notYet = (): never => { throw new ApiError('INTERNAL', 'attachments are not wired yet'); };

export const attachmentHandlers: HandlersOf<'attachment'> = {
  'attachment.add': notYet,
  'attachment.list': notYet,
  'attachment.get': notYet,
  'attachment.delete': notYet,
};
