import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { BM25_B, BM25_K1, idf, impactOf, leadExpression, LEVELS, levelToken, outsideBound, rareExpression, regionAbove, regionFor, termsOf, wordSpans } from '../../../core/store/search-impact';

// The arithmetic of the impact tiers (issue 11 item 6): what a document writes, and the bound a
// ranked query stops at. The bound must be above the bm25 score of every document it claims to
// cover, or a ranked page could leave out a better match.
describe('impact tiers', () => {
  it('folds and splits like unicode61 with remove_diacritics (no "_" inside a word)', () => {
    expect(termsOf('Crème brûlée, naïve_idea 2026!')).toEqual(['creme', 'brulee', 'naive', 'idea', '2026']);
  });

  it('a term writes its level by weighted frequency (title 5, body 1, tags 3, people 3, places 2), and the length counts every token', () => {
    const { lead, length } = impactOf(['Garden garden', 'garden and the shed', 'garden', '', 'Shed']);
    // garden: 2 × 5 + 1 + 3 = 14 → level 9 (≥ 14, marked i); shed: 1 + 2 = 3 → no token; and, the: 1 → none
    expect(lead.split(' ').sort()).toEqual(['igarden']);
    expect(length).toBe(2 + 4 + 1 + 0 + 1);
    expect(impactOf(['x', '', '', '', '']).lead).toBe('bx'); // 5 = LEVELS[1]
    expect(impactOf(['', 'y y y', '', '', '']).lead).toBe('');
    expect(LEVELS[0]).toBe(4);
  });

  it('the candidates of a level are the word\'s tokens at that level and above; rare terms are whole terms', () => {
    const spans = wordSpans(1000, [{ word: 'ben', terms: [{ term: 'ben', doc: 400 }, { term: 'benado', doc: 3 }], levels: [{ term: 'ben', level: 2, doc: 50 }] }]);
    expect(spans[0]).toMatchObject({ rare: ['benado'], caps: [LEVELS[2] - 1], maxDocs: 400, ignored: false });
    expect(spans[0]!.levelDocs[2]).toBe(50);
    // whole level tokens, the ones the index holds (a prefix would make FTS5 merge their doclists first)
    expect(leadExpression(spans, 2)).toBe('"bben"');
    expect(leadExpression(spans, 3)).toBeNull();
    expect(rareExpression(spans)).toBe('"benado"');
  });

  it('a word of idf 1e-6 next to a name adds no candidates', () => {
    const spans = wordSpans(10_000, [
      { word: 'ana', terms: [{ term: 'ana', doc: 500 }], levels: [{ term: 'ana', level: 1, doc: 100 }, { term: 'ana', level: 3, doc: 10 }] },
      { word: 'family', terms: [{ term: 'family', doc: 9000 }], levels: [{ term: 'family', level: 1, doc: 4000 }] },
    ]);
    expect(spans.map((s) => s.ignored)).toEqual([false, true]);
    expect(leadExpression(spans, 1)).toBe('"aana" OR "cana"');
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

  it.each([60, 300])('a region of level cells holds every document that can score above its outside bound (brute force, two words, one over two terms, F below %i)', (maxF) => {
    let x = 7;
    const rnd = () => ((x = (Math.imul(x ^ (x >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
    const levelOf = (f: number) => LEVELS.filter((t) => f >= t).length;
    const rows = 1500;
    // F of alpha, beta, betas per document (skewed: most low, some high) and its length
    const docs = Array.from({ length: rows }, () => ({ f: [0, 0, 0].map(() => Math.floor(rnd() ** 3 * maxF)), d: 40 + Math.floor(rnd() * 200) }));
    const terms = ['alpha', 'beta', 'betas'];
    const lead = new Database(':memory:');
    lead.exec("CREATE VIRTUAL TABLE l USING fts5(terms, detail = none)");
    docs.forEach((doc, i) => lead.prepare('INSERT INTO l (rowid, terms) VALUES (?, ?)').run(i + 1, doc.f.map((f, t) => (levelOf(f) ? levelToken(levelOf(f), terms[t]!) : '')).join(' ')));
    const docCount = (t: number) => docs.filter((doc) => doc.f[t]! > 0).length;
    const levels = (t: number) => Array.from({ length: LEVELS.length }, (_, l) => ({ term: terms[t]!, level: l + 1, doc: docs.filter((doc) => levelOf(doc.f[t]!) === l + 1).length })).filter((v) => v.doc);
    const betaHits = docs.filter((doc) => doc.f[1]! + doc.f[2]! > 0).length;
    const words = wordSpans(rows, [
      { word: 'alpha', terms: [{ term: 'alpha', doc: docCount(0) }], levels: levels(0) },
      { word: 'beta', terms: [{ term: 'beta', doc: docCount(1) }, { term: 'betas', doc: docCount(2) }], levels: [...levels(1), ...levels(2)], hits: betaHits },
    ]);
    const avgdl = docs.reduce((a, doc) => a + doc.d, 0) / rows;
    const s = { rows, avgdl, minLength: Math.min(...docs.map((doc) => doc.d)), words };
    const part = (f: number, d: number) => (f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * d) / avgdl));
    const score = (doc: (typeof docs)[number]) => idf(rows, docCount(0)) * part(doc.f[0]!, doc.d) + idf(rows, betaHits) * part(doc.f[1]! + doc.f[2]!, doc.d);
    const matching = docs.map((doc, i) => ({ doc, id: i + 1 })).filter(({ doc }) => doc.f[0]! > 0 && doc.f[1]! + doc.f[2]! > 0);
    const scores = matching.map(({ doc }) => score(doc)).sort((a, b) => b - a);
    let checked = 0;
    const regions = [...[1, 5, 20, 60, 200].map((k) => regionAbove(s, scores[k]!)), ...[50, 400, 1200].map((n) => regionFor(s, n))];
    for (const r of regions) {
      if (r.all) continue;
      const inside = new Set(r.lead ? (lead.prepare('SELECT rowid FROM l WHERE l MATCH ?').pluck().all(r.lead) as number[]) : []);
      for (const { doc, id } of matching) if (!inside.has(id)) expect(score(doc)).toBeLessThanOrEqual(r.outside);
      // and it is a region, not everything: the bound holds because it is tight enough to leave some out
      if (inside.size < matching.length) checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    lead.close();
  });
});
