import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp } from '../helpers/app';
import { countLive } from '../../core/store/tables/memories';

// space.list says how many live memories each space holds, and the renderer asks for it after
// every sync batch and space event. It was counted by reading every row of the space in the
// encrypted table (~245 ms at 100k memories, linear in size); a partial index of live rows
// (migration 020) answers it alone. The count must stay exact through creates, trash, restore
// and erasure, and be read from that index without touching the table.
describe('space.list memory_count', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  it('counts live memories exactly, from the live-rows index only', async () => {
    const t = await openTestApp();
    close = t.close;
    const space = 'personal:me';
    const count = async () => ((await t.c('space.list')).spaces as { space_id: string; memory_count: number }[]).find((s) => s.space_id === space)!.memory_count;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.c('memory.create', { space_id: space, type: 'episodic', band: 'GREEN', title: `m${i}`, body: 'b' })).memory.memory_id);
    expect(await count()).toBe(5);
    await t.c('memory.delete', { memory_id: ids[0] });
    await t.c('memory.delete', { memory_id: ids[1] });
    expect(await count()).toBe(3);
    await t.c('memory.restore', { memory_id: ids[1] });
    expect(await count()).toBe(4);
    await t.c('privacy.erase', { memory_ids: [ids[0]], confirm: true });
    expect(await count()).toBe(4);

    // what space.list runs, as SQLite plans it on this database
    const plan = (t.app.ctx.db.prepare(`EXPLAIN QUERY PLAN ${countLive.text}`).all(space) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).toMatch(/USING COVERING INDEX memories_live/);
  }, 60_000);
});
