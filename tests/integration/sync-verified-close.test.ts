import { afterAll, describe, expect, it } from 'vitest';
import { syncPeersTable } from '../../core/store/tables/sync-peers';
import { device, pair, waitFor, type TestApp } from '../helpers/sync';

/**
 * Found by a review at stop 32: a session writes "verified up to date" to sync_peers at most once a
 * second, and what its throttle held back as it closes. It wrote the close time, which could be
 * long after the two devices last were equal (a frame lost since): the Devices screen then showed
 * a check that never happened. It writes when the session last verified.
 */
const SPACE = 'personal:me';

describe('verified up to date as a session closes', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('the table keeps when the session last verified, not the time it closed after falling behind', async () => {
    const a = await device('A'); apps.push(a);
    const b = await device('B'); apps.push(b);
    await pair(a, b);
    const bId = b.app.ctx.keyring!.deviceId;
    const live = async () => (await a.c('sync.status', {})).peers.find((p: any) => p.device_id === bId)?.spaces.find((x: any) => x.space_id === SPACE);
    const stored = () => syncPeersTable.ofDevice(a.app.ctx.db, bId).find((x) => x.space_id === SPACE)?.verified_at ?? null;
    await waitFor('verified', async () => (await live())?.verified_up_to_date);
    // a burst of writes: one of its verifications falls inside the throttle (not written yet)
    await waitFor('a verification the throttle held back', async () => {
      const before = (await live())?.verified_at;
      await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'burst', body: 'x' });
      const now = await waitFor('verified again', async () => { const s = await live(); return s?.verified_up_to_date && s.verified_at !== before ? s : null; });
      return (stored() ?? 0) < Date.parse(now.verified_at);
    });
    // then B stops getting what A sends: A falls ahead of it and is never verified again
    a.link.faults = { drop: 1, duplicate: 0, reorder: 0, seed: 1 };
    const m = await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'never delivered', body: 'y' });
    await new Promise((r) => setTimeout(r, 1500));
    const last = await live();
    expect(last.verified_up_to_date).toBe(false);
    expect(last.ahead).toBeGreaterThan(0);
    a.app.sync!.pause(); // the session closes
    expect((await b.c('memory.list', { space_id: SPACE, limit: 500 })).memories.map((x: any) => x.memory_id)).not.toContain(m.memory.memory_id);
    // what the Devices screen shows from now on: the last time the two were verified equal
    expect(stored()).toBe(Date.parse(last.verified_at));
  }, 60_000);
});
