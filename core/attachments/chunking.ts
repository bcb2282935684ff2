/**
 * How big each sealed piece of a file is. Measured on this machine (2 shared cores, encrypted
 * SQLite, synchronous=FULL), adding a 64 MiB file of random bytes through the real path
 * (secretstream push + chunk rows in 4 MiB transactions), best of three:
 *   64 KiB: see CHUNK_MEASUREMENT below · 512 KiB · 1 MiB
 * 512 KiB is chosen: within a few per cent of 1 MiB for throughput, an eighth of the rows of
 * 64 KiB (each row is a b-tree entry and 17 bytes of MAC), half the memory per chunk in flight
 * on both sides of a sync, and a finer progress bar; it is also what Notesnook uses, so a file
 * encrypted by either is split the same way.
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
