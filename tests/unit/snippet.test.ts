import { describe, expect, it } from 'vitest';
import { makeSnippet, queryTerms } from '../../core/search/snippet';

describe('search snippets', () => {
  it('marks prefix matches, folding case and diacritics as the index does', () => {
    const terms = queryTerms('CAFE tul');
    expect(terms).toEqual(['cafe', 'tul']);
    expect(makeSnippet(['We met at the Café, then bought tulips.'], terms)).toBe('We met at the [Café], then bought [tulips].');
  });
  it('cuts a long text around the first match with ellipses', () => {
    const body = Array.from({ length: 40 }, (_, i) => (i === 20 ? 'needle' : `w${i}`)).join(' ');
    const s = makeSnippet([body], queryTerms('needle'));
    expect(s.startsWith('…w18 w19 [needle] w21')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s.split(' ').length).toBe(12);
  });
  it('falls back to the next field that matches, and to nothing', () => {
    expect(makeSnippet(['no match here', 'Garden party'], queryTerms('garden'))).toBe('[Garden] party');
    expect(makeSnippet(['nothing'], queryTerms('zzz'))).toBe('');
  });
});
