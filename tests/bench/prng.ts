/**
 * mulberry32: a tiny seeded PRNG. The corpus must be byte-identical between the MemoryOS run and
 * the baseline run (they live in different processes), so Math.random is not an option.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Zipf-like pick: low indices much more often, like word frequencies in real text. */
export const pickSkewed = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(xs.length * rnd() ** 2.5)]!;
