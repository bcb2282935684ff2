import yauzl from 'yauzl';
import { head, isFile } from './fs-util';
import type { ImportDetector } from './item';

/**
 * A MemoryOS export (SPEC §8, `privacy.export`): a ZIP whose root holds `manifest.json` and its
 * detached signature `manifest.sig`. Only recognised here, by the ZIP's central directory (no
 * entry is decompressed); verifying and reading it is another module's work.
 */
export const memoryosExport: ImportDetector = { format: 'memoryos', detect: detectMemoryosExport };

export async function detectMemoryosExport(path: string): Promise<boolean> {
  if (!(await isFile(path))) return false;
  const magic = await head(path, 4);
  if (magic.length < 4 || magic.readUInt32LE(0) !== 0x04034b50) return false; // "PK\3\4"
  return new Promise((resolve) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: false }, (err, zip) => {
      if (err || !zip) { resolve(false); return; }
      const seen = new Set<string>();
      const done = (v: boolean): void => { zip.close(); resolve(v); };
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName === 'manifest.json' || e.fileName === 'manifest.sig') seen.add(e.fileName);
        if (seen.size === 2) done(true); else zip.readEntry();
      });
      zip.on('end', () => done(false));
      zip.on('error', () => done(false));
      zip.readEntry();
    });
  });
}
