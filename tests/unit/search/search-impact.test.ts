import { describe, expect, it } from 'vitest';
import { BM25_B, BM25_K1, idf, impactOf, leadExpression, LEVELS, outsideBound, rareExpression, termsOf, wordSpans } from '../../../core/store/search-impact';

// The arithmetic of the impact tiers (issue 11 item 6): what a document writes, and the bound a
// ranked query stops at. The bound must be above the bm25 score of every document it claims to
// cover, or a ranked page could leave out a better match.
describe('impact tiers', () => {
  it('folds and splits like unicode61 with remove_diacritics (no "_" inside a word)', () => {
    expect(termsOf('Crème brûlée, naïve_idea 2026!')).toEqual(['creme', 'brulee', 'naive', 'idea', '2026']);
  });

  it('a term writes its level by weighted frequency (title 5, body 1, tags 3, people 3, places 2), and the length counts every token', () => {
    const { lead, length } = impactOf(['Garden garden', 'garden and the shed', 'garden', '', 'Shed']);
    // garden: 2 × 5 + 1 + 3 = 14 → level 4 (≥ 13); shed: 1 + 2 = 3 → no token; and, the: 1 → none
    expect(lead.split(' ').sort()).toEqual(['4garden']);
    expect(length).toBe(2 + 4 + 1 + 0 + 1);
    expect(impactOf(['x', '', '', '', '']).lead).toBe('1x'); // 5 ≥ LEVELS[0]
    expect(impactOf(['', 'y y y', '', '', '']).lead).toBe('');
    expect(LEVELS[0]).toBe(4);
  });

  it('the candidates of a level are the word\'s tokens at that level and above; rare terms are whole terms', () => {
    const spans = wordSpans(1000, [{ word: 'ben', terms: [{ term: 'ben', doc: 400 }, { term: 'benado', doc: 3 }], levels: [{ term: 'ben', level: 2, doc: 50 }] }]);
    expect(spans[0]).toMatchObject({ rare: ['benado'], caps: [LEVELS[2] - 1], maxDocs: 400, ignored: false });
    expect(spans[0]!.levelDocs[2]).toBe(50);
    expect(leadExpression(spans, LEVELS.length - 1)).toBe(`"${LEVELS.length - 1}ben"* OR "${LEVELS.length}ben"*`);
    expect(rareExpression(spans)).toBe('"benado"');
  });

  it('a word of idf 1e-6 next to a name adds no candidates', () => {
    const spans = wordSpans(10_000, [
      { word: 'ana', terms: [{ term: 'ana', doc: 500 }], levels: [] },
      { word: 'family', terms: [{ term: 'family', doc: 9000 }], levels: [{ term: 'family', level: 1, doc: 4000 }] },
    ]);
    expect(spans.map((s) => s.ignored)).toEqual([false, true]);
    expect(leadExpression(spans, 1)).toBe(Array.from({ length: LEVELS.length }, (_, i) => `"${i + 1}ana"*`).join(' OR '));
  });

  it('the bound is above the bm25 score of any document outside the candidates (brute force over F and D)', () => {
    const rows = 5000;
    const avgdl = 150;
    const minLength = 40;
    const words = wordSpans(rows, [
      { word: 'friend', terms: [{ term: 'friend', doc: 2000 }, { term: 'friends', doc: 900 }], levels: [{ term: 'friend', level: 5, doc: 10 }], hits: 2600 },
      { word: 'kira', terms: [{ term: 'kira', doc: 300 }, { term: 'kirabo', doc: 2 }], levels: [{ term: 'kira', level: 3, doc: 20 }] },
    ]);
    const part = (f: number, d: number) => (f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * d) / avgdl));
    for (let level = 1; level <= LEVELS.length; level++) {
      const bound = outsideBound({ rows, avgdl, minLength, words }, level);
      const below = LEVELS[level - 1]! - 1;
      let worst = 0;
      // outside: every main term below the level and under its cap; no rare term (kirabo)
      for (let ff = 0; ff <= Math.min(below, words[0]!.caps[0]!); ff++) {
        for (let fs = 0; fs <= Math.min(below, words[0]!.caps[1]!); fs++) {
          for (let fk = 1; fk <= Math.min(below, words[1]!.caps[0]!); fk++) {
            for (const d of [minLength, minLength + 1, avgdl, 400]) {
              const s = idf(rows, 2600) * part(ff + fs, d) + idf(rows, 300) * part(fk, d);
              worst = Math.max(worst, s);
            }
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(bound);
    }
    // and it falls as the level falls (fewer documents outside, each with less)
    expect(outsideBound({ rows, avgdl, minLength, words }, 1)).toBeLessThan(outsideBound({ rows, avgdl, minLength, words }, 4));
  });
});
