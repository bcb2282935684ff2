import type { Band, MemoryType } from '../../contracts/types';
import type { ImportedItem, ImportFailure, ReadProgress } from '../import';

/**
 * What the import job consumes: a reader's items, and for a MemoryOS export what the memory was
 * in the vault it came from (its band, type and expiry are kept, not chosen by the importer).
 */
export interface SourceItem {
  item: ImportedItem;
  kept?: { band: Band; type: MemoryType; expires_at: string | null; recipients: number };
}

export type SourceEvent = { source: SourceItem } | { failure: ImportFailure };

export interface SourceOptions {
  signal: AbortSignal;
  onProgress: (p: ReadProgress) => void;
  passphrase?: string;
  tempDir?: string;
}
