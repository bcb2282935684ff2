/**
 * The export archive (SPEC §8, issue 9 items 2 and 3): pure modules the export job drives.
 * No database, no API, no jobs: functions and streams.
 */
export { openArchive, ArchiveAbortedError, type ArchiveWriter, type AddFileOptions, type FileRecord, type FinishedArchive, type OpenArchiveOptions } from './zip-writer';
export {
  buildManifest, manifestBytes, signManifest, verifyManifest, writeManifest, parseManifest, exportMemorySchemaVersion, ManifestError,
  EXPORT_FORMAT, EXPORT_FORMAT_VERSION, MANIFEST_PATH, SIGNATURE_PATH, EXPORT_MEMORY_SCHEMA,
  type Manifest, type ManifestHead, type ManifestInput, type ManifestSigner,
} from './manifest';
export {
  exportMemoryJson, checkExportMemory, orderedMemory, memoryJsonPath, memoryMarkdownPath, ExportMemoryInvalidError, EXPORT_MEMORY_FIELDS,
  type ExportMemory, type ExportAttachment,
} from './export-memory';
export { renderMemoryMarkdown, memoryMarkdown } from './markdown';
export { renderReadme, readmeBytes, type ReadmeParams, type ReadmeSpace, type ReadmeCategory } from './readme';
export {
  createEncryptStream, createDecryptStream, openDecrypted, decryptArchive, isEncryptedArchive, EncryptedArchiveError,
  DEFAULT_CHUNK_SIZE, ENCRYPTED_MAGIC, ENCRYPTED_HEADER_BYTES, type EncryptOptions, type EncryptedArchiveErrorCode,
} from './encrypted';
export { verifyExport, VerifyCancelled, type VerifyOptions, type VerifyResult, type BadReason } from './verify';
