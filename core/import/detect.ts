import { enex } from './enex';
import type { ImportDetector, ImportFormat, ImportReader } from './item';
import { joplin } from './joplin';
import { keep } from './keep';
import { markdownFolder } from './markdown-folder';
import { memoryosExport } from './memoryos-export';

/**
 * The readers by format (`memoryos` is only detected here). `detectFormat` asks the detectors
 * in this order, the most specific first, and answers the first that says yes:
 *
 * 1. `memoryos` — a file that is a ZIP with `manifest.json` and `manifest.sig` at its root;
 * 2. `enex`     — a file whose first 4 KiB hold `<en-export` (the ENEX root element);
 * 3. `joplin`   — a folder with `<32 hex>.md` items ending in `id: …` … `type_: N` property lines;
 * 4. `keep`     — a folder (itself, `Keep/` or `Takeout/Keep/` in it) with a JSON note that has
 *                 `textContent`, `listContent` or `userEditedTimestampUsec`;
 * 5. `markdown` — a folder with `.obsidian/`, or with a `.md` / `.markdown` file below it (among
 *                 the first 5000 entries, breadth first).
 *
 * (A Joplin export is also a folder of `.md` files, hence Joplin before Markdown.)
 */
export const READERS = { enex, joplin, keep, markdown: markdownFolder } satisfies Record<string, ImportReader>;
export type ReadableFormat = keyof typeof READERS;

const DETECTORS: ImportDetector[] = [memoryosExport, enex, joplin, keep, markdownFolder];

/** the format of the file or folder at `path`, or null when none of them fits */
export async function detectFormat(path: string): Promise<ImportFormat | null> {
  for (const d of DETECTORS) if (await d.detect(path)) return d.format;
  return null;
}

/** the reader for a format (`memoryos` has none here: it is read by the export module) */
export const readerFor = (format: ImportFormat): ImportReader | undefined =>
  format === 'memoryos' ? undefined : READERS[format];
