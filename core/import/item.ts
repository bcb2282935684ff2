import type { Readable } from 'node:stream';

/**
 * What an import reader hands the importer: normalised items, one at a time, never a whole
 * export in memory. The readers are pure parsers — no database, no crypto beyond hashing, no API.
 *
 * The contract, for whoever wires `import.run`:
 * - `read(path)` yields `ImportEvent`s in a deterministic order (sorted paths, document order).
 * - A corrupt item yields `{ failure }` and the reading goes on; a source that cannot be read at
 *   all (missing path, not this format) makes the iteration throw an `ApiError` (INVALID_INPUT).
 * - An item's attachments may be opened, as often as wanted, until the consumer asks for the next
 *   event (or ends the iteration); after that their bytes may be gone (ENEX resources are spooled
 *   to temp files that are deleted as the reading moves on). Import an item whole, then move on.
 * - The body is Markdown. It links each of the item's attachments as `attachment:<sha256>`
 *   (see attachment-ref.ts), which the importer rewrites to its own attachment ids.
 * - Readers enforce no API limits (title length, label counts): the importer applies them.
 */

/** The formats `detectFormat` tells apart. `memoryos` (an export ZIP) is detected here, read elsewhere. */
export type ImportFormat = 'markdown' | 'enex' | 'keep' | 'joplin' | 'memoryos';

/** A file that comes with an item. `size` and `sha256` are known before the item is yielded. */
export interface ImportedAttachment {
  /** file name as the source gives it (no folders), e.g. `pie.png` */
  name: string;
  /** MIME type from the source, else from the file extension, else application/octet-stream */
  mime: string;
  /** bytes */
  size: number;
  /** SHA-256 of the bytes, lowercase hex; also the attachment's reference in the body */
  sha256: string;
  /** a fresh stream of the bytes each call (from disk: never the whole file in memory) */
  open(): Readable;
}

export interface ImportedItem {
  source: {
    format: ImportFormat;
    /**
     * where the item sits, relative to the path given to `read` with `/` separators
     * (`Recipes/pie.md`, `Keep/Shopping.json`); for a file holding many items, the file name
     * and the item's 1-based position (`notes.enex#3`)
     */
    path: string;
    /**
     * A stable hash of the source item (SHA-256 hex, see source-hash.ts): the same source read
     * again gives the same hash, so a re-run of an import can skip what is already there.
     * It covers the source bytes, not our conversion of them, so a new version of a converter
     * does not make old imports look new.
     */
    hash: string;
  };
  title: string;
  /** Markdown */
  body: string;
  tags: string[];
  people: string[];
  places: string[];
  /** ISO 8601 (UTC, `…Z`) */
  created_at?: string;
  updated_at?: string;
  /** when the thing the note is about happened (front matter `date`, Evernote's subject date) */
  occurred_at?: string;
  archived?: boolean;
  trashed?: boolean;
  pinned?: boolean;
  /** other names of the note (Obsidian `aliases`) */
  aliases?: string[];
  /** the body is a task list (a Keep list note) */
  checklist?: boolean;
  attachments: ImportedAttachment[];
  /** what the reader could not carry over but did not fail the item for (a missing embedded file, …) */
  warnings?: string[];
}

/** An item that could not be read: `path` as in `source.path`, `reason` for a person to read. */
export interface ImportFailure {
  path: string;
  reason: string;
}

export type ImportEvent = { item: ImportedItem } | { failure: ImportFailure };

export interface ReadOptions {
  /** where ENEX resources are spooled while their note is in flight (default: the OS temp dir); keep it outside the vault's data directory */
  tempDir?: string;
  /** checked between items: an aborted signal ends the iteration with its reason */
  signal?: AbortSignal;
  /** called now and then with how far the reading has got (items for folders, bytes for a file) */
  onProgress?: (progress: ReadProgress) => void;
}

export interface ReadProgress {
  unit: 'items' | 'bytes';
  done: number;
  total: number;
}

/** Tells whether a path looks like one format: a cheap look at names and the first bytes. */
export interface ImportDetector {
  readonly format: ImportFormat;
  detect(path: string): Promise<boolean>;
}

/** One format's reader: `detect` plus a streaming `read`. */
export interface ImportReader extends ImportDetector {
  read(path: string, options?: ReadOptions): AsyncIterable<ImportEvent>;
}

export const isItem = (e: ImportEvent): e is { item: ImportedItem } => 'item' in e;
export const isFailure = (e: ImportEvent): e is { failure: ImportFailure } => 'failure' in e;
