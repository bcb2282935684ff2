import { describe, expect, it } from 'vitest';
import { deadlineFrom, formatCountdown, secondsRemaining } from '../../../renderer/src/lib/countdown';
import { dateInputToIso, formatDuration, isoToDateInput, parseList } from '../../../renderer/src/lib/format';
import { histogramQuantile, parsePrometheus, sum } from '../../../renderer/src/lib/metrics';
import { passphraseStrength } from '../../../renderer/src/lib/passphrase-strength';
import { diffPatch, draftOf, mergeDraft } from '../../../renderer/src/lib/patch';
import { splitRanges } from '../../../renderer/src/lib/snippet';
import { scrollToReveal, virtualWindow } from '../../../renderer/src/lib/virtual-window';
import { parseTokenFragment, takeLoginToken } from '../../../renderer/src/api/login-token';
import type { Memory } from '../../../contracts/types';

describe('passphrase strength', () => {
  it('rates empty, short, common and patterned passphrases weak', () => {
    expect(passphraseStrength('').score).toBe(0);
    expect(passphraseStrength('abc').acceptable).toBe(false);
    expect(passphraseStrength('password123').score).toBeLessThanOrEqual(1);
    expect(passphraseStrength('aaaaaaaaaaaa').acceptable).toBe(false);
    expect(passphraseStrength('abcdefgh1234').acceptable).toBe(false);
  });
  it('rates several unrelated words and long mixed strings strong', () => {
    expect(passphraseStrength('maple orbit lantern pebble').score).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('T7#qL!9zR2@w').score).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('maple orbit lantern pebble').hints).toEqual([]);
  });
  it('never accepts fewer than 8 characters (the contract minimum)', () => {
    expect(passphraseStrength('Zq#9!xY').acceptable).toBe(false);
  });
});

describe('virtual window', () => {
  it('renders only the rows in view plus overscan', () => {
    const w = virtualWindow(100_000, 60, 60 * 5000, 600, 6);
    expect(w.start).toBe(4994);
    expect(w.end).toBe(5000 + 11 + 6);
    expect(w.offset).toBe(4994 * 60);
    expect(w.totalHeight).toBe(6_000_000);
  });
  it('clamps at both ends and handles an empty list', () => {
    expect(virtualWindow(0, 60, 100, 600)).toEqual({ start: 0, end: 0, offset: 0, totalHeight: 0 });
    expect(virtualWindow(10, 60, -50, 600).start).toBe(0);
    const end = virtualWindow(20, 60, 99_999, 600);
    expect(end.end).toBe(20);
  });
  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 60, 300, 600)).toBe(0);
    expect(scrollToReveal(20, 60, 0, 600)).toBe(21 * 60 - 600);
    expect(scrollToReveal(7, 60, 0, 600)).toBe(0);
  });
});

describe('search highlights', () => {
  it('splits a text at its highlight ranges into parts, never HTML', () => {
    const text = '…saw a heron at <b>the</b> lake';
    expect(splitRanges(text, [{ start: 7, end: 12 }, { start: 27, end: 31 }])).toEqual([
      { text: '…saw a ', match: false }, { text: 'heron', match: true }, { text: ' at <b>the</b> ', match: false }, { text: 'lake', match: true },
    ]);
    expect(splitRanges('', [])).toEqual([]);
    expect(splitRanges('no match', [])).toEqual([{ text: 'no match', match: false }]);
    // out of order, overlapping, past the end: clipped and merged, no text lost or doubled
    expect(splitRanges('abcdef', [{ start: 4, end: 99 }, { start: 0, end: 2 }, { start: 1, end: 3 }])).toEqual([
      { text: 'ab', match: true }, { text: 'c', match: true }, { text: 'd', match: false }, { text: 'ef', match: true },
    ]);
  });
});

describe('countdown', () => {
  it('anchors on the monotonic clock and formats m:ss / h:mm:ss', () => {
    const d = deadlineFrom(900, 1000);
    expect(secondsRemaining(d, 1000)).toBe(900);
    expect(secondsRemaining(d, 1000 + 899_500)).toBe(1);
    expect(secondsRemaining(d, 1000 + 901_000)).toBe(0);
    expect(formatCountdown(899)).toBe('14:59');
    expect(formatCountdown(5)).toBe('0:05');
    expect(formatCountdown(3723)).toBe('1:02:03');
  });
});

describe('format', () => {
  it('durations, lists and dates', () => {
    expect(formatDuration(900)).toBe('15 minutes');
    expect(formatDuration(30)).toBe('30 seconds');
    expect(formatDuration(3900)).toBe('1 hour 5 minutes');
    expect(parseList(' a, b ,,a, c ')).toEqual(['a', 'b', 'c']);
    expect(dateInputToIso('2024-05-01')).toBe('2024-05-01T00:00:00.000Z');
    expect(dateInputToIso('')).toBeUndefined();
    expect(isoToDateInput('2024-05-01T10:00:00.000Z')).toBe('2024-05-01');
  });
});

describe('prometheus metrics', () => {
  const text = [
    '# TYPE memoryos_api_calls_total counter',
    'memoryos_api_calls_total{code="OK",method="vault.unlock"} 3',
    'memoryos_api_calls_total{code="LOCKED",method="memory.list"} 1',
    'memoryos_api_call_seconds_bucket{le="0.001",method="a"} 90',
    'memoryos_api_call_seconds_bucket{le="0.01",method="a"} 99',
    'memoryos_api_call_seconds_bucket{le="+Inf",method="a"} 100',
  ].join('\n');
  it('parses samples, sums and estimates a quantile from buckets', () => {
    const s = parsePrometheus(text);
    expect(sum(s, 'memoryos_api_calls_total')).toBe(4);
    expect(sum(s, 'memoryos_api_calls_total', (l) => l.code !== 'OK')).toBe(1);
    expect(histogramQuantile(s, 'memoryos_api_call_seconds', 0.5)).toBe(0.001);
    expect(histogramQuantile(s, 'memoryos_api_call_seconds', 0.99)).toBe(0.01);
    expect(histogramQuantile(s, 'nothing', 0.5)).toBeNull();
  });
});

describe('editor patches', () => {
  const m = { title: 'a', body: 'b', type: 'episodic', tags: ['x'], people: [], places: [], occurred_at: null, expires_at: null, recipients: [] } as unknown as Memory;
  it('sends only changed fields', () => {
    expect(diffPatch(draftOf(m), { ...draftOf(m), body: 'c', tags: ['x', 'y'] })).toEqual({ body: 'c', tags: ['x', 'y'] });
    expect(diffPatch(draftOf(m), draftOf(m))).toEqual({});
  });
  it('merges a save: local edits win, the rest comes from the core', () => {
    const base = draftOf(m);
    const local = { ...base, body: 'typed' };
    const saved = { ...base, title: 'changed elsewhere', body: 'older' };
    expect(mergeDraft(base, local, saved)).toEqual({ ...base, title: 'changed elsewhere', body: 'typed' });
  });
});

describe('login token', () => {
  it('takes the token from the fragment once, stores it for the tab and clears the address', () => {
    const store = new Map<string, string>();
    let cleared = false;
    const env = { hash: '#token=abcdefghijklmnopqrstuvwxyz012345', storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => { store.set(k, v); } }, clearHash: () => { cleared = true; } };
    expect(takeLoginToken(env)).toBe('abcdefghijklmnopqrstuvwxyz012345');
    expect(cleared).toBe(true);
    expect(takeLoginToken({ ...env, hash: '' })).toBe('abcdefghijklmnopqrstuvwxyz012345');
  });
  it('ignores malformed tokens', () => {
    expect(parseTokenFragment('#token=short')).toBeNull();
    expect(parseTokenFragment('#token=<script>alert(1)</script>xxxxxxxx')).toBeNull();
    expect(parseTokenFragment('#other=1')).toBeNull();
  });
});
