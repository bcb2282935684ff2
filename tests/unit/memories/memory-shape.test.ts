import { describe, expect, it } from 'vitest';
import { clampTimeMs, FIRST_MS, isTimeMs, isTimestamp, LAST_MS } from '../../../core/memories/memory-shape';
import { iso } from '../../../core/shared/time';

/** The bounds of a time every device's metadata check takes: what the contracts' date-time can show, year 0000 included (review of 62551c8). */
describe('times a timestamp can show', () => {
  it('takes year 0000 to 9999, and what a source says beyond is moved inside', () => {
    expect(isTimeMs(Date.parse('0000-01-01T00:00:00Z'))).toBe(true);
    expect(isTimeMs(Date.parse('9999-12-31T23:59:59.999Z'))).toBe(true);
    expect(isTimeMs(FIRST_MS - 1)).toBe(false);
    expect(isTimeMs(LAST_MS + 1)).toBe(false);
    for (const ms of [FIRST_MS, LAST_MS, 0]) expect(isTimestamp(iso(ms))).toBe(true);
    expect(clampTimeMs(-1e15)).toBe(FIRST_MS);
    expect(clampTimeMs(1e15)).toBe(LAST_MS);
    expect(clampTimeMs(1_700_000_000_000.7)).toBe(1_700_000_000_000);
  });
});
