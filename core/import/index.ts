/** The import readers (issue 12): pure, streaming parsers from other apps' exports to `ImportedItem`s. */
export type { ImportDetector, ImportEvent, ImportFailure, ImportFormat, ImportReader, ImportedAttachment, ImportedItem, ReadOptions, ReadProgress } from './item';
export { isFailure, isItem } from './item';
export { ATTACHMENT_REF, attachmentUrl, rewriteAttachmentRefs } from './attachment-ref';
export { detectFormat, READERS, readerFor, type ReadableFormat } from './detect';
export { enex } from './enex';
export { joplin } from './joplin';
export { keep } from './keep';
export { markdownFolder } from './markdown-folder';
export { memoryosExport } from './memoryos-export';
