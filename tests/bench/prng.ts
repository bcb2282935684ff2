import { seededRandom } from '../../core/shared/prng';

/** The corpus must be byte-identical between the MemoryOS run and the baseline run (separate processes): a seeded PRNG, not Math.random. */
export const prng = seededRandom;

export const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Zipf-like pick: low indices much more often, like word frequencies in real text. */
export const pickSkewed = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(xs.length * rnd() ** 2.5)]!;
