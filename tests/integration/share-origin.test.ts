/**
 * Issue "the app a family would keep", item 8: a share made an unlinked copy with no trace of
 * where it came from. The copy now records it (copied_from: memory, space, when), in its sealed
 * metadata, and stays a copy: edits of one do not reach the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, TestClock } from '../helpers/app';

describe('a shared copy records where it came from', () => {
  const clock = new TestClock();
  let t: Awaited<ReturnType<typeof openTestApp>>;
  beforeAll(async () => {
    t = await openTestApp({ clock });
    await t.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    await t.c('settings.set', { settings: { auto_lock_minutes: 0 } }); // the clock jumps past the undo window below
  });
  afterAll(async () => { await t.close(); });

  it('GREEN: at once; the copy names the original and its space, the original names nothing', async () => {
    const orig = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'Lasagne', body: 'Grandma\'s recipe' })).memory;
    expect(orig.copied_from).toBeUndefined();
    const r = await t.c('memory.share', { memory_id: orig.memory_id, target_space_id: 'shared:family' });
    expect(r.status).toBe('shared');
    const copy = (await t.c('memory.get', { memory_id: r.memory_id })).memory;
    expect(copy.copied_from).toMatchObject({ memory_id: orig.memory_id, space_id: 'personal:me' });
    expect(Date.parse(copy.copied_from.copied_at)).toBeGreaterThan(0);
    expect(copy.space_id).toBe('shared:family');
    // and it stays a copy
    await t.c('memory.update', { memory_id: orig.memory_id, patch: { body: 'Grandma\'s recipe, less salt' } });
    expect((await t.c('memory.get', { memory_id: r.memory_id })).memory.body).toBe('Grandma\'s recipe');
    // lists carry it too
    const listed = (await t.c('memory.list', { space_id: 'shared:family' })).memories.find((m: any) => m.memory_id === r.memory_id);
    expect(listed.copied_from.memory_id).toBe(orig.memory_id);
  });

  it('AMBER: the copy made when the undo window ends records it as well', async () => {
    const orig = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'AMBER', title: 'Passport numbers', body: 'in the drawer' })).memory;
    const staged = await t.c('memory.share', { memory_id: orig.memory_id, target_space_id: 'shared:family', consent: true });
    expect(staged.status).toBe('staged');
    // the undo window ends; the scheduler commits the share
    clock.advance(901_000);
    t.app.tick();
    const copies = (await t.c('memory.list', { space_id: 'shared:family' })).memories.filter((m: any) => m.copied_from?.memory_id === orig.memory_id);
    expect(copies).toHaveLength(1);
  });
});
