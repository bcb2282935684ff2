import type { Readable } from 'node:stream';
import type { Attachment } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';

/** What another room (the importer) hands over to keep a file with a memory. */
export interface AddAttachmentInput {
  memory_id: string;
  /** an absolute path, or a stream of the bytes (read once, never whole in memory) */
  source: Readable | string;
  name: string;
  mime: string;
  /** when the caller knows it (an import manifest): checked against what was read, CORRUPT if it differs */
  sha256?: string;
}

/** Keeps a file with a memory (attachment.add's core; the importer calls it directly). Filled in the next commits. */
export async function addAttachment(_ctx: Ctx, _actor: string, _input: AddAttachmentInput): Promise<Attachment> {
  throw new ApiError('INTERNAL', 'attachments are not wired yet');
}
