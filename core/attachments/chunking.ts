/**
 * How big each sealed piece of a file is: 64 KiB, chosen on two measurements.
 *
 * Throughput is the same at every size tried (tests/bench/attachment-chunk-size.ts: a 64 MiB
 * random file through secretstream push/pull and chunk rows of the encrypted database in 4 MiB
 * transactions, best of three, 2 shared cores): 64 KiB add 111 MiB/s, read 369 MiB/s; 512 KiB
 * 100 and 346; 1 MiB 112 and 382 — the page cipher and the fsyncs cost more than the chunking.
 *
 * Memory is not (tests/bench/attachment-sync.ts: a 100 MiB file added on one host and fetched by
 * a paired host, each a `memoryos serve` process, RSS from /proc): with 512 KiB chunks the hosts
 * grew by 86–91 MB (sender) and 97–107 MB (receiver) — over the 100 MB — and with 64 KiB
 * by 67–68 and 63–67 MB, the file whole on the receiver in 3.5 vs 3.8 s. A chunk travels as one
 * base64 frame: at 512 KiB each frame's strings and buffers are V8 large objects, freed only by a
 * full collection; at 64 KiB they die young. The price is 1600 rows per 100 MB instead of 200,
 * each 17 bytes of MAC and a b-tree entry (0.03 % of the bytes).
 */
export const CHUNK_SIZE = 64 * 1024;

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
