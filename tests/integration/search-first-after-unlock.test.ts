import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp, PASS, reopen, type TestAppHandle } from '../helpers/app';

// Typo tolerance reads the index's whole vocabulary once per connection (fts5vocab walks every
// doclist): ~4 s at 1M memories, and it was read by the first search after every unlock, even
// for a common word whose page is all exact matches (unlock → searchable 4.6 s at 1M). The
// alternatives are now looked for only when the answer needs them: a page of exact matches
// neither ranks nor marks them. Exact hits mark the words only; a typo-tolerant one its alternatives.
describe('the first search after unlock', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  it('answers a common word without reading the vocabulary, and reads it for a typo', async () => {
    const t = await openTestApp();
    close = t.close;
    const memory = (k: number) => ({ type: 'episodic', band: 'GREEN', title: `Note ${k}`, body: `we worked in the garden on day ${k}` });
    const items = Array.from({ length: 260 }, (_, k) => memory(k));
    // ranked first (the word in its title) and holding a word one edit away
    items.push({ type: 'episodic', band: 'GREEN', title: 'Garden garden garden', body: 'the garden beside the garten, and garden again' });
    await t.c('memory.import', { space_id: 'personal:me', memories: items });
    await t.app.close();

    let again: TestAppHandle | undefined = await reopen(t.dir);
    close = async () => { await again?.close(); await t.close(); };
    await again.call('vault.unlock', { passphrase: PASS });
    const search = async (query: string) => (await again!.call('memory.search', { query, limit: 20 })) as any;
    const slice = (s: string, r: { start: number; end: number }) => s.slice(r.start, r.end);

    const common = await search('garden');
    expect(common.hits).toHaveLength(20);
    expect(common.total_capped).toBe(true);
    expect(common.hits.every((h: any) => h.fuzzy === false)).toBe(true);
    expect(again.ctx.search.vocabularyHeld()).toBe(false);
    const top = common.hits[0];
    expect(top.title).toBe('Garden garden garden');
    // the exact hit marks the word, not its alternative "garten"
    expect(top.highlights.snippet.map((r: any) => slice(top.snippet, r).toLowerCase())).not.toContain('garten');
    expect(top.highlights.snippet.map((r: any) => slice(top.snippet, r).toLowerCase())).toContain('garden');

    // a typo: only alternatives can answer it, so the vocabulary is read
    const typo = await search('gardne');
    expect(again.ctx.search.vocabularyHeld()).toBe(true);
    expect(typo.hits.length).toBeGreaterThan(0);
    expect(typo.hits.every((h: any) => h.fuzzy === true)).toBe(true);
    expect(typo.hits[0].title).toBe('Garden garden garden');
    expect(slice(typo.hits[0].title, typo.hits[0].highlights.title[0])).toBe('Garden');
  }, 120_000);
});
