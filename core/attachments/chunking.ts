/**
 * How big each sealed piece of a file is. Measured with tests/bench/attachment-chunk-size.ts (a
 * 64 MiB random file through secretstream push/pull and chunk rows of the encrypted database in
 * 4 MiB transactions, best of three, 2 shared cores at load ~4):
 *     64 KiB: add 111 MiB/s, read 369 MiB/s, 1024 rows
 *    512 KiB: add 100 MiB/s, read 346 MiB/s,  128 rows
 *   1024 KiB: add 112 MiB/s, read 382 MiB/s,   64 rows
 * Throughput is the same within the noise (the page cipher and the fsyncs cost more than the
 * chunking), so the size is chosen on the rest: 512 KiB keeps a 100 MB file to 200 rows (64 KiB
 * makes 1600 b-tree entries and 1600 MACs), holds half of 1 MiB in memory per chunk in flight on
 * each side of a sync (a chunk is a frame well under the 8 MiB frame limit), and moves a progress
 * bar every half megabyte. It is also Notesnook's size.
 */
export const CHUNK_SIZE = 512 * 1024;

/**
 * Cuts a stream of pieces of any size into chunks of exactly `size` bytes (the last one shorter,
 * possibly empty), each tagged with whether it is the last: secretstream marks the final chunk,
 * so a truncated file can never pass for a whole one. One chunk is held back until the next
 * byte (or the end) arrives, so memory stays at two chunks whatever the file's size.
 */
export async function* chunksOf(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, size = CHUNK_SIZE): AsyncGenerator<{ chunk: Uint8Array; final: boolean }> {
  let fill = Buffer.allocUnsafe(size);
  let used = 0;
  let ready: Buffer | null = null;
  for await (const piece of source) {
    let off = 0;
    while (off < piece.length) {
      const n = Math.min(size - used, piece.length - off);
      fill.set(piece.subarray(off, off + n), used);
      used += n;
      off += n;
      if (used === size) {
        if (ready) yield { chunk: ready, final: false };
        ready = fill;
        fill = Buffer.allocUnsafe(size);
        used = 0;
      }
    }
  }
  if (used > 0) {
    if (ready) yield { chunk: ready, final: false };
    yield { chunk: fill.subarray(0, used), final: true };
  } else {
    yield { chunk: ready ?? Buffer.alloc(0), final: true };
  }
}
