import { describe, expect, it } from 'vitest';
import { fuzzyAlternatives } from '../../../core/search/fuzzy';
import type { Db } from '../../../core/store/database';
import { Vocabulary } from '../../../core/store/search-vocabulary';

// A word's typo alternatives are looked for only among the terms sharing one of its first two
// characters (Vocabulary.near): that must find exactly what scanning the whole vocabulary finds.
describe('Vocabulary.near', () => {
  it('gives the same alternatives as the whole vocabulary, before and after writes', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const letters = 'abcdefgilmnorstuéü漢';
    const word = (len: number) => Array.from({ length: len }, () => letters[next() % letters.length]).join('');
    const rows = Array.from({ length: 3000 }, () => ({ term: word(3 + (next() % 7)), doc: 1 + (next() % 50) }));
    const db = {} as Db;
    const v = new Vocabulary();
    const all = () => v.get(db, 0, () => rows);
    const check = () => {
      for (let i = 0; i < 300; i++) {
        // a term with one edit, or a random word
        const base = rows[next() % rows.length]!.term;
        const w = i % 2 ? base.slice(0, 2) + word(1) + base.slice(3) + word(next() % 3) : word(5 + (next() % 4));
        expect(fuzzyAlternatives(w, v.near(w)), w).toEqual(fuzzyAlternatives(w, all()));
      }
    };
    all();
    check();
    v.added(db, ['Garden gardens gardem', 'brûlée']);
    v.removed(db, [rows[0]!.term]);
    expect(v.near('gardem').map(([t]) => t)).toContain('gardens');
    check();
  });
});
