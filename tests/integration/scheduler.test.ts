import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, TestClock } from '../helpers/app';

describe('the scheduler (with a clock tests can move)', () => {
  const clock = new TestClock();
  let t: Awaited<ReturnType<typeof openTestApp>>;
  beforeAll(async () => { t = await openTestApp({ clock }); });
  afterAll(async () => { await t.close(); });

  it('expires working memories at expires_at', async () => {
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'working', band: 'GREEN', title: 'call the plumber', expires_at: new Date(clock.now() + 3600_000).toISOString() })).memory;
    t.app.tick();
    expect((await t.c('memory.list')).memories.map((x: any) => x.memory_id)).toContain(m.memory_id);
    clock.advance(3600_001);
    expect((await t.c('memory.list')).memories.map((x: any) => x.memory_id)).not.toContain(m.memory_id);
    t.app.tick();
    expect((await t.c('memory.get', { memory_id: m.memory_id })).memory.deleted_at).not.toBeNull();
    await expect(t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'x', expires_at: new Date(clock.now()).toISOString() })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('commits a due action once, however often it ticks', async () => {
    await t.c('space.create', { kind: 'shared', name: 'Family' });
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'AMBER', title: 'Doctor' })).memory;
    const staged = await t.c('memory.share', { memory_id: m.memory_id, target_space_id: 'shared:family', consent: true });
    clock.advance(899_000);
    t.app.tick();
    expect((await t.c('undo.list')).actions).toHaveLength(1);
    clock.advance(2_000);
    t.app.tick(); t.app.tick();
    expect((await t.c('undo.list', { include_done: true })).actions.find((a: any) => a.action_id === staged.pending.action_id).status).toBe('committed');
    expect((await t.c('memory.list', { space_id: 'shared:family' })).total).toBe(1);
    await expect(t.c('undo.apply', { action_id: staged.pending.action_id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lowers a band only after the window, and auto-locks when idle', async () => {
    await t.c('settings.set', { settings: { auto_lock_minutes: 60 } });
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'AMBER', title: 'Code' })).memory;
    expect((await t.c('memory.setBand', { memory_id: m.memory_id, band: 'GREEN' })).status).toBe('staged');
    expect((await t.c('memory.get', { memory_id: m.memory_id })).memory.band).toBe('AMBER');
    expect((await t.c('memory.setBand', { memory_id: m.memory_id, band: 'RED' })).status).toBe('changed'); // raising is immediate
    clock.advance(901_000);
    t.app.tick();
    expect((await t.c('memory.get', { memory_id: m.memory_id })).memory.band).toBe('GREEN');
    await t.c('settings.set', { settings: { auto_lock_minutes: 5 } });
    clock.advance(5 * 60_000 + 1);
    t.app.tick();
    expect(t.app.ctx.keyring).toBeNull();
    await expect(t.c('memory.list')).rejects.toMatchObject({ code: 'LOCKED' });
  });
});
