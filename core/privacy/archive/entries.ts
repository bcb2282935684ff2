import type { Readable } from 'node:stream';
import { fromRandomAccessReaderPromise, openPromise, type Entry, type ZipFile } from 'yauzl';
import { initCrypto } from '../../crypto/sodium';
import { isEncryptedArchive } from './encrypted';
import { EncryptedZipReader, TAIL_KEEP } from './verify';

/** One file of an export archive, its bytes streamed on demand (before the next entry is asked for). */
export interface ArchiveEntry {
  name: string;
  /** the size the central directory gives (yauzl checks the stream against it) */
  size: number;
  open(): Promise<Readable>;
}

/**
 * The files of an export archive in archive order, plain or encrypted (decrypted as a stream,
 * nothing written to disk), for a reader that has verified the archive first (verifyExport):
 * this checks nothing but what yauzl checks while reading.
 */
export async function* archiveEntries(path: string, passphrase?: string): AsyncGenerator<ArchiveEntry & { total: number }> {
  await initCrypto();
  let zip: ZipFile;
  if (await isEncryptedArchive(path)) {
    if (!passphrase) throw new Error('the archive is encrypted: a passphrase is needed');
    const reader = await EncryptedZipReader.open(path, passphrase, TAIL_KEEP);
    zip = await fromRandomAccessReaderPromise(reader, reader.size, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
  } else {
    zip = await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
  }
  try {
    for await (const entry of zip.eachEntry() as AsyncIterable<Entry>) {
      yield { name: entry.fileName, size: entry.uncompressedSize, total: zip.entryCount, open: () => zip.openReadStreamPromise(entry) };
    }
  } finally {
    zip.close();
  }
}
