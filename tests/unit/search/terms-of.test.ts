import { describe, expect, it } from 'vitest';
import { termsOf } from '../../../core/store/search-impact';

// termsOf takes a whole-text shortcut for ASCII: it must give exactly what the per-word folding
// (the reference below, the tokenizer's own rules as search-impact.ts states them) gives.
const reference = (text: string): string[] =>
  [...text.matchAll(/[\p{L}\p{N}\p{Co}\p{M}]+/gu)].map((m) => m[0].normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()).filter(Boolean);

describe('termsOf', () => {
  it('ASCII text: lower-cased [a-z0-9] runs, "_" and punctuation split', () => {
    expect(termsOf('Family DINNER at 7pm_sharp, re-booked (x2)!')).toEqual(['family', 'dinner', 'at', '7pm', 'sharp', 're', 'booked', 'x2']);
    expect(termsOf('')).toEqual([]);
    expect(termsOf('  --  ')).toEqual([]);
  });

  it('equals the per-word folding on ASCII, accented, mixed and non-Latin texts', () => {
    const samples = [
      'The garden party at Grandma\'s, 2026-07-14', 'Crème brûlée, naïve_idea 2026!', 'Zoë and Ana in São Paulo',
      'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ and ﬁ ligature', 'Ελληνικά κείμενα και English', '家族の夕食 dinner', 'e\u0301te\u0301 (decomposed)',
      'tab\tnew\nline\u0000nul', 'ÀÉÎÕÜ àéîõü ß',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = 'abcXYZ019 _-.,éÉüß\u0301漢Ω\t';
    for (let i = 0; i < 200; i++) samples.push(Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]).join(''));
    for (const s of samples) expect(termsOf(s), s).toEqual(reference(s));
  });
});
