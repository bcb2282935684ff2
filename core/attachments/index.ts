/**
 * Files kept with memories: encrypted in secretstream chunks under a key of their own, that key
 * sealed under the memory's key (so the band decides who opens them), stored as rows of the
 * encrypted database (migration 017), deduplicated per space, erased with their memory.
 */
export { addAttachment, type AddAttachmentInput } from './add';
export { listAttachments } from './list';
export { getAttachment, attachmentBytes } from './get';
export { deleteAttachment } from './delete';
export type { AttachmentSource } from './source';
export { exportFilesOf, exportFilesFor, type ExportFile } from './export-files';
