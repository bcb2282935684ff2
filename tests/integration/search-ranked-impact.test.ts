import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../helpers/app';

// Issue 11 item 6: a ranked search with many matches finds its page through the impact index
// (search_lead, migration 019) instead of ranking every match — and returns the same page, in
// the same order, as exact bm25 over every match (a plain FTS5 of the same texts, built here),
// for the owner and, with the policy applied, for a child (no RED or BLACK, AMBER redacted) and
// another adult (no RED addressed to someone else).
const WORDS = 'apple pear plum fig kiwi lime melon grape cherry peach mango lemon'.split(' ');
const FILL = 'the and of a to in on'.split(' ');
const NAMES = ['Ana', 'Ben', 'Kira', 'Omar'];

/** a deterministic corpus where the first words are in most memories and often in titles */
function memory(i: number): { title: string; body: string; tags: string[]; people: string[]; places: string[] } {
  let x = (i + 1) * 2654435761 >>> 0;
  const rnd = () => ((x = (Math.imul(x ^ (x >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const skew = () => WORDS[Math.floor(rnd() ** 2.5 * WORDS.length)]!;
  const title = Array.from({ length: 1 + Math.floor(rnd() * 4) }, skew).join(' ');
  const body = Array.from({ length: 20 + Math.floor(rnd() * 60) }, () => (rnd() < 0.35 ? FILL[Math.floor(rnd() * FILL.length)]! : skew())).join(' ');
  const people = rnd() < 0.4 ? [NAMES[Math.floor(rnd() * NAMES.length)]!] : [];
  return { title, body: `${body}${people.length ? ' ' + people[0] : ''}`, tags: [skew()], people, places: rnd() < 0.2 ? ['Lisbon'] : [] };
}

describe('ranked search through the impact index', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let c: (m: string, p?: unknown, as?: string) => Promise<any>;
  const fam = 'shared:family';
  let child = '';
  let adult = '';
  let me = '';
  /** memory id → [position in the reference, band] */
  const docs = new Map<string, { pos: number; band: string; readers: string | null }>();
  const ref = new Database(':memory:');
  ref.exec("CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, people, places, tokenize = 'unicode61 remove_diacritics 2')");
  const put = (id: string, band: string, m: ReturnType<typeof memory>, readers: string | null = null) => {
    const pos = docs.size + 1;
    docs.set(id, { pos, band, readers });
    ref.prepare('INSERT INTO fts (rowid, title, body, tags, people, places) VALUES (?, ?, ?, ?, ?, ?)').run(pos, m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' '));
  };
  const byPos = new Map<number, string>();
  /** exact bm25 over every document, ties by write order (the index's row order), kept to what `sees` allows */
  const expected = (query: string, sees: (d: { band: string; readers: string | null }) => boolean, n = 20): string[] => {
    const fts = query.split(' ').map((w) => `"${w}"*`).join(' ');
    const rows = ref.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 5.0, 1.0, 3.0, 3.0, 2.0), rowid').pluck().all(fts) as number[];
    return rows.map((r) => byPos.get(r)!).filter((id) => sees(docs.get(id)!)).slice(0, n);
  };
  const idsOf = (r: any): string[] => r.hits.map((h: any) => h.memory_id);

  beforeAll(async () => {
    t = await openTestApp();
    c = t.c;
    await c('space.create', { kind: 'shared', name: 'Family' });
    child = (await c('member.create', { name: 'Leo' })).member.member_id;
    adult = (await c('member.create', { name: 'Mia' })).member.member_id;
    await c('space.addMember', { space_id: fam, member_id: child, role: 'child' });
    await c('space.addMember', { space_id: fam, member_id: adult, role: 'adult' });
    const items = Array.from({ length: 1200 }, (_, i) => ({ ...memory(i), type: 'semantic', band: i % 3 === 0 ? 'AMBER' : 'GREEN' }));
    for (let s = 0; s < items.length; s += 400) {
      const batch = items.slice(s, s + 400);
      const r = await c('memory.import', { space_id: fam, memories: batch });
      r.memory_ids.forEach((id: string, k: number) => put(id, batch[k]!.band, batch[k]!));
    }
    // memories that would rank first for "apple" if policy let them through
    me = (await c('session.current')).member.member_id;
    for (const [band, recipients] of [['RED', []], ['BLACK', []], ['RED', [adult]]] as const) {
      const m = { title: 'apple apple apple', body: 'apple apple apple apple', tags: ['apple'], people: [], places: [] };
      const r = await c('memory.create', { space_id: fam, type: 'semantic', band, ...m, ...(band === 'RED' ? { recipients } : {}) });
      put(r.memory.memory_id, band, m, band === 'GREEN' || band === 'AMBER' ? null : [me, ...recipients].join(','));
    }
    for (const [id, d] of docs) byPos.set(d.pos, id);
  }, 240_000);
  afterAll(async () => { ref.close(); await t.close(); });

  const QUERIES = ['apple', 'pear', 'plum', 'apple pear', 'pear plum', 'ana apple', 'ben pear', 'kira'];

  it('takes the impact path for frequent words, and its page is the first of ranking every match', () => {
    const idx = t.app.ctx.search;
    expect(docs.size).toBe(1203);
    const scopes = [{ space_id: fam, bands: ['GREEN', 'AMBER', 'RED', 'BLACK'] }];
    const member_id = me;
    let led = 0;
    for (const query of QUERIES) {
      const words = query.split(' ');
      const fts = words.map((w) => `"${w}"*`).join(' AND ');
      const q = { scopes, member_id, fts };
      const page = idx.leading(q, words, 20);
      const all = idx.candidates({ ...q, order: 'rank', limit: 100, offset: 0 });
      if (page) {
        led++;
        expect(page.length).toBeGreaterThanOrEqual(20);
        expect(page.map((x) => x.memory_id)).toEqual(all.slice(0, page.length).map((x) => x.memory_id));
      }
    }
    // not a test of a path never taken: most of these go through the impact index
    expect(led).toBeGreaterThanOrEqual(5);
  });

  it('the owner gets exact bm25\'s top 20, in its order, and "200+"', async () => {
    for (const query of QUERIES) {
      const r = await c('memory.search', { query, limit: 20 });
      expect(idsOf(r), query).toEqual(expected(query, () => true));
      if (r.total_capped) expect(r.total).toBe(200);
    }
  });

  it('a child never sees RED or BLACK and sees AMBER redacted; an adult never sees RED addressed to others — the rest in bm25 order', async () => {
    for (const query of QUERIES) {
      const kid = await c('memory.search', { query, limit: 20 }, child);
      expect(idsOf(kid), query).toEqual(expected(query, (d) => d.band === 'GREEN' || d.band === 'AMBER'));
      for (const h of kid.hits) {
        expect(['GREEN', 'AMBER']).toContain(h.band);
        if (h.band === 'AMBER') expect(h.redacted).toBe(true);
      }
      const mia = await c('memory.search', { query, limit: 20 }, adult);
      expect(idsOf(mia), query).toEqual(expected(query, (d) => d.readers === null || d.readers.split(',').includes(adult)));
    }
    const apple = idsOf(await c('memory.search', { query: 'apple', limit: 20 }, adult));
    const reds = [...docs].filter(([, d]) => d.band === 'RED' || d.band === 'BLACK').map(([id, d]) => ({ id, mine: d.readers!.includes(adult) }));
    for (const r of reds) expect(apple.includes(r.id), r.id).toBe(r.mine);
  });
});
