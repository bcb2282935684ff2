import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildReadModel } from '../../core/memories/rebuild';
import { openTestApp } from '../helpers/app';

// The log is the truth: the encrypted read model, derived again from the log alone, is identical.
describe('read model rebuilt from the sync log', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  beforeAll(async () => { t = await openTestApp(); });
  afterAll(async () => { await t.close(); });

  it('gives identical state', async () => {
    await t.c('space.create', { kind: 'shared', name: 'Family' });
    const other = (await t.c('member.create', { name: 'Marta' })).member.member_id;
    await t.c('space.addMember', { space_id: 'shared:family', member_id: other, role: 'adult' });
    const ids: string[] = [];
    for (const [i, band] of ['GREEN', 'AMBER', 'RED', 'BLACK', 'GREEN'].entries()) {
      const m = await t.c('memory.create', {
        space_id: band === 'BLACK' ? 'personal:me' : 'shared:family', type: i === 4 ? 'working' : 'episodic', band,
        title: `t${i}`, body: `body ${i}`, tags: [`x${i}`], people: ['Ana'], places: ['Porto'], occurred_at: '2025-06-01T12:00:00.000Z',
        ...(band === 'RED' ? { recipients: [other] } : {}),
      });
      ids.push(m.memory.memory_id);
    }
    await t.c('memory.update', { memory_id: ids[0], patch: { body: 'body 0, edited', tags: ['x0', 'y'] } });
    await t.c('memory.update', { memory_id: ids[0], base_version: 1, patch: { title: 't0!' } });
    await t.c('memory.setBand', { memory_id: ids[0], band: 'AMBER' });
    await t.c('memory.delete', { memory_id: ids[4] });
    await t.c('memory.update', { memory_id: ids[3], patch: { body: 'black, edited' } });

    const snapshot = () => t.app.ctx.db.prepare('SELECT memory_id, space_id, band, type, author, origin_device, created_at, updated_at, deleted_at, expires_at, version FROM memories ORDER BY memory_id').all();
    const views = async () => Promise.all(ids.map(async (id) => (await t.c('memory.get', { memory_id: id })).memory));
    const before = { rows: snapshot(), views: await views() };
    const cipherBefore = t.app.ctx.db.prepare('SELECT ciphertext FROM memories ORDER BY memory_id').all();

    t.app.ctx.keyring!.deks.clear(); // nothing cached may help
    expect(rebuildReadModel(t.app.ctx)).toBe(5);
    expect(snapshot()).toEqual(before.rows);
    expect(await views()).toEqual(before.views);
    // fresh nonces: the rebuild re-encrypted, it did not copy
    expect(t.app.ctx.db.prepare('SELECT ciphertext FROM memories ORDER BY memory_id').all()).not.toEqual(cipherBefore);
  });
});
