import { describe, expect, it } from 'vitest';
import { fuzzyAlternatives, withinOneEdit } from '../../../core/search/fuzzy';
import { ftsExpression } from '../../../core/search/search';
import { highlightRanges, matchesEvery, queryTerms, snippetWithRanges } from '../../../core/search/snippet';

const vocab = (...terms: string[]) => new Map(terms.map((term, i) => [term, terms.length - i]));
const alternatives = (w: string, v: Map<string, number>) => fuzzyAlternatives(w, [[...v.keys()]], (t) => v.get(t) ?? 0);

describe('typo tolerance', () => {
  it('one insertion, deletion, substitution or transposition, not two', () => {
    expect(withinOneEdit('dentist', 'dentsit')).toBe(true); // transposition
    expect(withinOneEdit('vaccine', 'vacine')).toBe(true);
    expect(withinOneEdit('vacine', 'vaccine')).toBe(true);
    expect(withinOneEdit('garden', 'garten')).toBe(true);
    expect(withinOneEdit('garden', 'gardens')).toBe(true);
    expect(withinOneEdit('garden', 'gadren')).toBe(true);
    expect(withinOneEdit('garden', 'gadern')).toBe(false);
    expect(withinOneEdit('garden', 'gxrdxn')).toBe(false);
  });
  it('words of five letters or more only; exact prefix matches are not alternatives', () => {
    const v = vocab('cake', 'bake', 'garden', 'garten', 'gardens', 'grandma', 'dentist');
    expect(alternatives('cakr', v)).toEqual([]);
    expect(alternatives('garden', v)).toEqual(['garten']);
    expect(alternatives('dentsit', v)).toEqual(['dentist']);
    // a typo in a word still being typed: its beginning is one edit away
    expect(alternatives('grnadm', v)).toEqual(['grandma']);
  });
  it('builds a safe FTS5 expression: each word a prefix, or one of its alternatives', () => {
    expect(ftsExpression([{ word: 'garden', alts: ['garten'] }, { word: 'party', alts: [] }])).toBe('("garden"* OR "garten") AND "party"*');
    expect(ftsExpression([])).toBeNull();
  });
});

describe('highlight ranges', () => {
  const terms = queryTerms('CAFE tul').map((word) => ({ word, alts: [] as string[] }));
  it('marks prefix matches as UTF-16 ranges, folding case and diacritics', () => {
    const text = 'We met at the Café, then bought tulips.';
    expect(highlightRanges(text, terms).map((r) => text.slice(r.start, r.end))).toEqual(['Café', 'tulips']);
    expect(highlightRanges('💐 tulips', terms)).toEqual([{ start: 3, end: 9 }]);
  });
  it('cuts a long text around the first match, plain text with … and ranges into it', () => {
    const body = Array.from({ length: 40 }, (_, i) => (i === 20 ? 'needle' : `w${i}`)).join('\n');
    const s = snippetWithRanges([body], [{ word: 'needle', alts: [] }]);
    expect(s.text.startsWith('…w18 w19 needle w21')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.ranges.map((r) => s.text.slice(r.start, r.end))).toEqual(['needle']);
  });
  it('marks fuzzy alternatives as whole words, and falls back to the start without ranges', () => {
    const s = snippetWithRanges(['a garten café', 'x'], [{ word: 'garden', alts: ['garten'] }]);
    expect(s.ranges.map((r) => s.text.slice(r.start, r.end))).toEqual(['garten']);
    expect(snippetWithRanges(['plain text here'], [{ word: 'zzz', alts: [] }])).toEqual({ text: 'plain text here', ranges: [] });
  });
  it('cuts from the display text while matching the masked one (redaction placeholders never match)', () => {
    const shown = 'Call [email] for Leo';
    const masked = 'Call         for Leo';
    const s = snippetWithRanges([masked], [{ word: 'email', alts: [] }, ], 12, [shown]);
    expect(s).toEqual({ text: shown, ranges: [] });
    const leo = snippetWithRanges([masked], [{ word: 'leo', alts: [] }], 12, [shown]);
    expect(leo.ranges.map((r) => leo.text.slice(r.start, r.end))).toEqual(['Leo']);
    expect(matchesEvery([masked], [{ word: 'email', alts: [] }])).toBe(false);
  });
});
