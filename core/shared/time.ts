/** The clock, injectable so undo windows and expiry can be tested without waiting. */
export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() };
export const iso = (ms: number): string => new Date(ms).toISOString();
export const parseIso = (s: string): number => {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error('bad timestamp');
  return t;
};
