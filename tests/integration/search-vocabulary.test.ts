import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../helpers/cli';
import { openTestApp } from '../helpers/app';

// Typo tolerance reads the index's vocabulary (every term, with its document count). Reading it
// from FTS5 walks the whole index (~1.2 s at 100k); it was read again after every write, so each
// search that followed a create paid that. It is now read once per connection and kept in step
// with this process's writes: it must stay exactly what FTS5 would give, through creates,
// edits, deletions, erasure, a rolled-back unit of work and another process's commit.
describe('the search vocabulary kept in step with writes', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  it('is not read again after a write, and equals what FTS5 counts after creates, edits, trash, erasure, a rollback and another process\'s commit', async () => {
    const t = await openTestApp();
    close = t.close;
    const fromFts = () => new Map((t.app.ctx.db.prepare('SELECT term, doc FROM search_vocab').all() as { term: string; doc: number }[]).map((r) => [r.term, r.doc]));
    const vocabulary = () => t.app.ctx.search.vocabulary();
    const create = async (title: string, body: string, tags: string[] = []) =>
      (await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title, body, tags })).memory.memory_id as string;
    const hits = async (query: string) => (await t.c('memory.search', { query })).hits.map((h: { memory_id: string }) => h.memory_id);

    const a = await create('Garden party', 'lanterns in the garden, Grandma baked bread', ['family']);
    const b = await create('Dentist', 'the dentist said floss; garden later');
    await hits('garden'); // a word of five letters: the vocabulary is read here
    const held = vocabulary();
    expect(held).toEqual(fromFts());

    const c = await create('Glockenspiel recital', 'Zoë played the glockenspiel, crème brûlée after', ['music']);
    await t.c('memory.update', { memory_id: b, patch: { body: 'the dentist said floss twice' } });
    expect(vocabulary()).toBe(held); // kept, not read again
    expect(await hits('glockenspeil')).toEqual([c]); // a typo finds the new word at once
    expect(vocabulary()).toEqual(fromFts());

    await t.c('memory.delete', { memory_id: a });
    await t.c('privacy.erase', { memory_ids: [a], confirm: true });
    expect(vocabulary()).toBe(held);
    expect(vocabulary()).toEqual(fromFts());
    expect(held.has('lanterns')).toBe(false);

    // a unit of work that wrote to the index and then failed: nothing of it may stay counted
    expect(() => t.app.ctx.uow.run(() => {
      t.app.ctx.search.upsert({
        memory_id: 'mem_rolled_back', space_id: 'personal:me', band: 'GREEN', type: 'episodic', updated_at: 1, author: 'x', readers: null,
        title: 'Phantasmagoria', body: 'never committed', tags: [], people: [], places: [], created_at: 1, occurred_at: null,
      });
      throw new Error('fails after the index write');
    })).toThrow('fails after the index write');
    expect(vocabulary().has('phantasmagoria')).toBe(false);
    expect(vocabulary()).toEqual(fromFts());

    // another process commits (the CLI, its own connection): the next search sees its words
    expect(await hits('quintessential')).toEqual([]);
    call(t.dir, 'memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: 'Xylophone', body: 'quintessential' });
    expect(await hits('quintesential')).toHaveLength(1);
    const v = vocabulary();
    expect(v.get('quintessential')).toBe(1);
    expect(v).toEqual(fromFts());
  }, 120_000);
});
