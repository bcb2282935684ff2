import { describe, expect, it } from 'vitest';
import { fuzzyAlternatives } from '../../../core/search/fuzzy';
import type { Db } from '../../../core/store/database';
import { Vocabulary } from '../../../core/store/search-vocabulary';

// A word's typo alternatives are looked for only among the terms sharing one of its first two
// characters (Vocabulary.near), in lists kept in step with writes (a term that leaves stays
// listed until they are rebuilt, one that comes back is listed twice): that must find exactly
// what scanning the whole vocabulary finds, through any mix of writes.
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
    const viaNear = (w: string) => fuzzyAlternatives(w, v.near(w), (t) => v.docCount(t));
    const viaAll = (w: string) => { const m = all(); return fuzzyAlternatives(w, [[...m.keys()]], (t) => m.get(t) ?? 0); };
    const check = () => {
      for (let i = 0; i < 300; i++) {
        // a term with one edit, or a random word
        const base = [...all().keys()][next() % all().size]!;
        const w = i % 2 ? base.slice(0, 2) + word(1) + base.slice(3) + word(next() % 3) : word(5 + (next() % 4));
        expect(viaNear(w), w).toEqual(viaAll(w));
      }
    };
    all();
    check();
    v.added(db, ['Garden gardens gardem', 'brûlée']);
    v.removed(db, [rows[0]!.term]);
    expect(v.near('gardem').flat()).toContain('gardens');
    check();
    // terms leave and come back (listed twice then), new ones arrive, many leave (the lists are rebuilt)
    for (let round = 0; round < 4; round++) {
      // ASCII terms: the tokenizer gives each back as itself (as written, the others' rows are not folded)
      const some = [...all().keys()].filter((t) => /^[a-z]+$/.test(t) && next() % (round === 3 ? 1 : 3) === 0);
      for (const t of some) for (let k = all().get(t)!; k > 0; k--) v.removed(db, [t]);
      expect(some.some((t) => v.docCount(t) > 0)).toBe(false);
      check();
      v.added(db, some.slice(0, 200).concat(Array.from({ length: 50 }, () => word(6))));
      check();
      for (const t of some.slice(0, 50)) expect(v.near(t).flat()).toContain(t);
    }
  });
});
