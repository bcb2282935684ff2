import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, TestClock } from '../helpers/app';

// Issue "the app a family would keep", item 7 and defect 5: every filter applies to search, the
// count is true or "200+", matches are highlighted by ranges, results sort as asked, and one typo
// in a word of five letters or more still finds the memory — on what the reader may see.
describe('search and filters agree', () => {
  const clock = new TestClock();
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let c: (m: string, p?: unknown, as?: string) => Promise<any>;
  let child = '';
  const ids: Record<string, string> = {};
  const fam = 'shared:family';
  const slice = (s: string, r: { start: number; end: number }) => s.slice(r.start, r.end);
  const search = async (p: Record<string, unknown>, as?: string) => c('memory.search', { limit: 200, ...p }, as);
  const idsOf = (r: any) => r.hits.map((h: any) => h.memory_id);

  beforeAll(async () => {
    t = await openTestApp({ clock });
    c = t.c;
    await c('space.create', { kind: 'shared', name: 'Family' });
    child = (await c('member.create', { name: 'Leo' })).member.member_id;
    await c('space.addMember', { space_id: fam, member_id: child, role: 'child' });
    const make = async (key: string, p: Record<string, unknown>) => {
      clock.advance(60_000);
      ids[key] = (await c('memory.create', { space_id: fam, type: 'episodic', band: 'GREEN', ...p })).memory.memory_id;
    };
    await make('dentist', { title: "Leo's dentist", body: 'Checkup with the dentist, all good.', tags: ['health'], people: ['Leo'], places: ['Clinic'], occurred_at: '2026-03-10T00:00:00.000Z' });
    await make('flu', { title: 'Flu shot', body: 'Leo and Mia got the flu vaccine.', tags: ['health'], people: ['Leo', 'Mia'], places: ['Pharmacy'], occurred_at: '2026-01-05T00:00:00.000Z' });
    await make('allergy', { title: 'Allergy', body: 'Mia is allergic to peanuts.', tags: ['Health'], people: ['Mia'], occurred_at: '2025-12-31T00:00:00.000Z' });
    await make('football', { title: 'Football', body: 'Leo scored at football practice.', tags: ['sport'], people: ['Leo'], places: ['Park'] });
    await make('garden', { title: 'Party', body: 'A garden party for Grandma.' });
    await make('garten', { title: 'Berlin trip', body: 'We saw the Tiergarten and a garten café.' });
    await make('cake', { title: 'Baking', body: 'We made a cake.' });
    await make('amber', {
      band: 'AMBER', title: 'Doctor for Leo', body: 'Call dr.who@clinic.example or +1 555 867 5309 about Leo.',
      tags: ['dr.who@clinic.example', 'health'], people: ['+1 555 867 5309', 'Leo'], places: ['Clinic'],
    });
    for (let i = 0; i < 230; i++) {
      clock.advance(1000);
      await c('memory.create', { space_id: fam, type: 'semantic', band: 'GREEN', title: `Shopping list ${i}`, body: 'milk and grocery things', tags: ['bulk'] });
    }
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('defect 5: a tag filter composes with the query, and the count is true', async () => {
    const tagged = await search({ tags: ['health'] });
    expect(new Set(idsOf(tagged))).toEqual(new Set([ids.dentist, ids.flu, ids.allergy, ids.amber]));
    expect(tagged).toMatchObject({ total: 4, total_capped: false });
    const leo = await search({ tags: ['health'], query: 'Leo' });
    expect(new Set(idsOf(leo))).toEqual(new Set([ids.dentist, ids.flu, ids.amber]));
    expect(leo).toMatchObject({ total: 3, total_capped: false });
  });

  it('each filter alone and with a query', async () => {
    expect(new Set(idsOf(await search({ people: ['mia'] })))).toEqual(new Set([ids.flu, ids.allergy]));
    expect(idsOf(await search({ people: ['Mia'], query: 'peanuts' }))).toEqual([ids.allergy]);
    expect(new Set(idsOf(await search({ people: ['Leo', 'Mia'] })))).toEqual(new Set([ids.flu]));
    expect(new Set(idsOf(await search({ places: ['Clinic'] })))).toEqual(new Set([ids.dentist, ids.amber]));
    expect(idsOf(await search({ places: ['Clinic'], query: 'dentist' }))).toEqual([ids.dentist]);
    expect(idsOf(await search({ places: ['Park'], query: 'dentist' }))).toEqual([]);
    // calendar days, inclusive, no time-zone shift
    expect(new Set(idsOf(await search({ happened_from: '2026-01-01', happened_to: '2026-03-10' })))).toEqual(new Set([ids.dentist, ids.flu]));
    expect(idsOf(await search({ happened_to: '2025-12-31' }))).toEqual([ids.allergy]);
    expect(idsOf(await search({ happened_from: '2026-01-05', happened_to: '2026-01-05', query: 'vaccine' }))).toEqual([ids.flu]);
    expect(idsOf(await search({ happened_from: '2026-02-01', query: 'vaccine' }))).toEqual([]);
    expect(idsOf(await search({ band: 'AMBER', tags: ['health'] }))).toEqual([ids.amber]);
    expect(idsOf(await search({ type: 'semantic', tags: ['health'] }))).toEqual([]);
  });

  it('counts truly, and caps as "200+" rather than showing the cap as a count', async () => {
    expect(await search({ query: 'grocery', limit: 5 })).toMatchObject({ total: 200, total_capped: true });
    expect((await search({ query: 'grocery', limit: 5 })).hits).toHaveLength(5);
    expect(await search({ tags: ['bulk'] })).toMatchObject({ total: 200, total_capped: true });
    expect(await search({ query: 'grocery', tags: ['health'] })).toMatchObject({ total: 0, total_capped: false, hits: [] });
    const few = await search({ tags: ['health'], limit: 1 });
    expect(few.hits).toHaveLength(1);
    expect(few).toMatchObject({ total: 4, total_capped: false });
  });

  it('sorts by updated, created, happened and relevance', async () => {
    const health = { tags: ['health'] };
    expect(idsOf(await search({ ...health, sort: 'created' }))).toEqual([ids.amber, ids.allergy, ids.flu, ids.dentist]);
    // happened: the day it happened, else the day it was written (the AMBER one, written "today")
    expect(idsOf(await search({ ...health, sort: 'happened' }))).toEqual([ids.amber, ids.dentist, ids.flu, ids.allergy]);
    clock.advance(60_000);
    await c('memory.update', { memory_id: ids.flu, base_version: 1, patch: { body: 'Leo and Mia got the flu vaccine. No fever.' } });
    expect(idsOf(await search({ ...health, sort: 'updated' }))[0]).toBe(ids.flu);
    expect(idsOf(await search({ ...health }))[0]).toBe(ids.flu); // updated is the default without a query
    // relevance: a title match outranks a body match
    const r = await search({ query: 'dentist football' });
    expect(idsOf(r)).toEqual([]);
    const rel = await search({ query: 'football', sort: 'relevance' });
    expect(idsOf(rel)).toEqual([ids.football]);
    const leo = await search({ query: 'leo', people: ['Leo'] });
    expect(leo.hits.length).toBeGreaterThan(1);
    expect(leo.hits.map((h: any) => h.score)).toEqual([...leo.hits.map((h: any) => h.score)].sort((a: number, b: number) => b - a));
  });

  it('tolerates one typo in a word of five letters or more, exact matches first; shorter words do not fuzz', async () => {
    const typo = await search({ query: 'dentsit' }); // a transposition
    expect(idsOf(typo)).toEqual([ids.dentist]);
    expect(typo.hits[0].fuzzy).toBe(true);
    expect(slice(typo.hits[0].title, typo.hits[0].highlights.title[0])).toBe('dentist');
    expect(idsOf(await search({ query: 'vacine' }))).toEqual([ids.flu]); // a deletion
    const garden = await search({ query: 'garden' });
    expect(idsOf(garden)).toEqual([ids.garden, ids.garten]);
    expect(garden.hits.map((h: any) => h.fuzzy)).toEqual([false, true]);
    // four letters: one edit is another word
    expect(idsOf(await search({ query: 'cakr' }))).toEqual([]);
    expect(idsOf(await search({ query: 'cake' }))).toEqual([ids.cake]);
    // typo tolerance composes with filters like any match
    expect(idsOf(await search({ query: 'dentsit', tags: ['sport'] }))).toEqual([]);
  });

  it('highlights the matches as ranges into the title and the plain-text snippet', async () => {
    const r = await search({ query: 'dentist' });
    const h = r.hits[0];
    expect(h.title).toBe("Leo's dentist");
    expect(h.highlights.title.map((x: any) => slice(h.title, x))).toEqual(['dentist']);
    expect(h.snippet).toBe('Checkup with the dentist, all good.');
    expect(h.highlights.snippet.map((x: any) => slice(h.snippet, x))).toEqual(['dentist']);
    const two = (await search({ query: 'mia pean' })).hits[0];
    expect(two.highlights.snippet.map((x: any) => slice(two.snippet, x))).toEqual(['Mia', 'peanuts']);
    // no query: the start of the text, nothing highlighted
    const plain = (await search({ tags: ['sport'] })).hits[0];
    expect(plain).toMatchObject({ snippet: 'Leo scored at football practice.', highlights: { title: [], snippet: [] } });
  });

  it('an AMBER memory\'s redacted fields neither match, filter, count nor highlight for a reader who may not see them', async () => {
    // the author sees everything
    expect(idsOf(await search({ people: ['+1 555 867 5309'] }))).toEqual([ids.amber]);
    expect(idsOf(await search({ tags: ['dr.who@clinic.example'] }))).toEqual([ids.amber]);
    expect(idsOf(await search({ query: '5309' }))).toEqual([ids.amber]);
    // the child does not: no filter on a hidden value confirms it, and no count includes it
    for (const p of [{ people: ['+1 555 867 5309'] }, { tags: ['dr.who@clinic.example'] }, { query: '5309' }, { query: 'example', band: 'AMBER' }, { query: 'email' }, { query: 'phone' }, { query: 'Leo', tags: ['dr.who@clinic.example'] }]) {
      const r = await search(p, child);
      expect(idsOf(r), JSON.stringify(p)).not.toContain(ids.amber);
      expect(r.total, JSON.stringify(p)).toBe(r.hits.length);
    }
    // what the child may see still matches: the memory, redacted, with ranges only on shown words
    const r = await search({ query: 'Leo', tags: ['health'] }, child);
    const h = r.hits.find((x: any) => x.memory_id === ids.amber);
    expect(h).toBeDefined();
    expect(h.redacted).toBe(true);
    expect(JSON.stringify(h)).not.toMatch(/5309|867|dr\.who|clinic\.example/);
    for (const x of [...h.highlights.snippet]) expect(slice(h.snippet, x).toLowerCase()).toBe('leo');
    for (const x of [...h.highlights.title]) expect(slice(h.title, x).toLowerCase()).toBe('leo');
    expect(r.total).toBe(3);
  });
});
