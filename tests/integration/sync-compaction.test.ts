import { afterAll, describe, expect, it } from 'vitest';
import { docEntries } from '../../core/store/sync-log';
import { compactDoc } from '../../core/memories/compaction';
import { eraseMemory } from '../../core/memories/erasure';
import { device, pair, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const same = (ts: TestApp[], space: string) => ts.every((t) => JSON.stringify(Object.entries(vectorOf(t, space)).sort()) === JSON.stringify(Object.entries(vectorOf(ts[0], space)).sort()));

describe('compaction and erasure across peers', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('a snapshot keeps convergence with a peer holding older entries and with one that never saw them; a tombstone purges everywhere', async () => {
    const a = await device('Ana'); const a2 = await device('Ana'); const a3 = await device('Ana');
    apps.push(a, a2, a3);
    const m = (await a.c('memory.create', { space_id: 'personal:me', type: 'procedural', band: 'GREEN', title: 'recipe', body: 'flour' })).memory;
    for (const add of ['sugar', 'eggs', 'butter', 'milk']) {
      const cur = (await a.c('memory.get', { memory_id: m.memory_id })).memory.body;
      await a.c('memory.update', { memory_id: m.memory_id, patch: { body: `${cur}, ${add}` } });
    }
    const gone = (await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'AMBER', title: 'old address', body: 'ERASE-ME-CANARY' })).memory;
    await pair(a, a2);
    await waitFor('a2 converged', () => same([a, a2], 'personal:me') && !!a2.app.ctx.db.prepare('SELECT 1 FROM memories WHERE memory_id = ?').get(m.memory_id));

    // a2 edits offline while a compacts the document
    await a.c('sync.disconnect', {}); await a2.c('sync.disconnect', {});
    const cur2 = (await a2.c('memory.get', { memory_id: m.memory_id })).memory.body;
    await a2.c('memory.update', { memory_id: m.memory_id, patch: { body: `${cur2}, salt` } });
    const r = compactDoc(a.app.ctx, 'personal:me', m.memory_id);
    expect(r.purged).toBe(5);
    const entries = docEntries(a.app.ctx, 'sync_log', 'personal:me', m.memory_id);
    expect(entries.filter((e) => e.purged_sha256)).toHaveLength(5);
    expect(entries.filter((e) => e.purged_sha256).every((e) => e.ciphertext.length === 0)).toBe(true);
    expect((await a.c('memory.get', { memory_id: m.memory_id })).memory.body).toBe('flour, sugar, eggs, butter, milk');

    // a3 never saw the old entries: it gets their headers and the snapshot
    await pair(a, a3);
    await waitFor('a3 converged', () => same([a, a3], 'personal:me') && !!a3.app.ctx.db.prepare('SELECT 1 FROM memories WHERE memory_id = ?').get(m.memory_id));
    expect((await a3.c('memory.get', { memory_id: m.memory_id })).memory.body).toBe('flour, sugar, eggs, butter, milk');
    // a2 held the old entries and an offline edit: it reconnects, and all three converge
    await a2.c('sync.connect', { address: `127.0.0.1:${a.app.sync!.direct!.port}` });
    await waitFor('three-way convergence', () => same([a, a2, a3], 'personal:me'));
    await waitFor('a3 to see a2\'s edit', async () => (await a3.c('memory.get', { memory_id: m.memory_id })).memory.body.includes('salt'));
    const s = await Promise.all([a, a2, a3].map((t) => stateOf(t, 'personal:me')));
    expect(s[1]).toEqual(s[0]);
    expect(s[2]).toEqual(s[0]);
    expect(s[0][m.memory_id].body).toBe('flour, sugar, eggs, butter, milk, salt');

    // erasure travels as TOMBSTONE_PROPAGATE: every device drops the key and purges the ciphertext
    eraseMemory(a.app.ctx, a.app.ctx.keyring!.memberId, gone.memory_id);
    for (const t of [a, a2, a3]) {
      await waitFor('tombstone applied', () => !t.app.ctx.db.prepare('SELECT 1 FROM memories WHERE memory_id = ?').get(gone.memory_id)
        && docEntries(t.app.ctx, 'sync_log', 'personal:me', gone.memory_id).every((e) => e.ciphertext.length === 0 && e.purged_sha256));
      expect(t.app.ctx.keyring!.deks.has(gone.memory_id)).toBe(false);
      expect(docEntries(t.app.ctx, 'sync_log', 'personal:me', gone.memory_id + '.meta').every((e) => e.ciphertext.length === 0)).toBe(true);
    }
    await waitFor('vectors still equal', () => same([a, a2, a3], 'personal:me'));
    const ev = await a3.c('events.list', { topic: 'TOMBSTONE_PROPAGATE' });
    expect(ev.events.map((e: any) => e.payload.memory_id)).toContain(gone.memory_id);
    await expect(a2.c('memory.get', { memory_id: gone.memory_id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
