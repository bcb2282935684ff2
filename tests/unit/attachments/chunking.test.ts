import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../core/attachments/chunking';

/** Every chunk is `size` bytes but the last, which alone is final; the bytes come out as they went in. */
async function cut(total: number, piece: number, size: number): Promise<{ lengths: number[]; finals: boolean[]; same: boolean }> {
  const src = Buffer.from(Array.from({ length: total }, (_, i) => (i * 7 + 3) & 0xff));
  const pieces = (function* () { for (let i = 0; i < total; i += piece) yield src.subarray(i, i + piece); })();
  const lengths: number[] = [];
  const finals: boolean[] = [];
  const out: Buffer[] = [];
  for await (const { chunk, final } of chunksOf(pieces, size)) { lengths.push(chunk.length); finals.push(final); out.push(Buffer.from(chunk)); }
  return { lengths, finals, same: Buffer.concat(out).equals(src) };
}

describe('chunksOf', () => {
  it.each([
    [0, 10, 8, [0]],
    [5, 10, 8, [5]],
    [8, 3, 8, [8]],
    [16, 16, 8, [8, 8]],
    [17, 5, 8, [8, 8, 1]],
    [30, 100, 8, [8, 8, 8, 6]],
  ])('%i bytes in pieces of %i, chunks of %i', async (total, piece, size, want) => {
    const r = await cut(total, piece, size);
    expect(r.lengths).toEqual(want);
    expect(r.finals).toEqual(want.map((_, i) => i === want.length - 1));
    expect(r.same).toBe(true);
  });

  it('keeps no chunk it handed out: each is a buffer of its own', async () => {
    const seen: Uint8Array[] = [];
    for await (const { chunk } of chunksOf([Buffer.alloc(20, 1), Buffer.alloc(20, 2)], 8)) seen.push(chunk);
    // read after the generator is done: a reused buffer would show the last bytes in every chunk
    expect(seen.map((c) => [...c].join(''))).toEqual(['11111111', '11111111', '11112222', '22222222', '22222222']);
  });
});
