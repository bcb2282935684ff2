import { afterAll, describe, expect, it } from 'vitest';
import { isTombstoned } from '../../core/memories/erasure';
import { receiveEntries } from '../../core/sync/receive';
import { PASS } from '../helpers/app';
import { device, lacking, pausedFamily, vectorOf, type TestApp } from '../helpers/sync';

/**
 * Found by a hostile review (stop 31), an honest user's problem: a device a RED memory is not
 * sealed to holds no read model of it, and judged its author's tombstone without knowing the
 * author: refused as forbidden, and every later entry of the author's device then waited on it
 * (a gap). The author is now read from the memory's metadata in the log where no row is held.
 */
const SPACE = 'shared:family';

describe('the author erases their RED memory', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('on a device it was never sealed to too, and the author\'s later entries arrive there', async () => {
    const [a, b] = [await device('Ana'), await device('Ben')];
    apps.push(a, b);
    await pausedFamily(a, [b], SPACE);
    // an adult's RED memory, sealed to its author alone
    const red = (await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'RED', title: 'only mine', body: 'diary' })).memory.memory_id;
    expect(receiveEntries(a.app.ctx, SPACE, lacking(b, a, SPACE)).refused).toEqual([]);
    expect((await a.c('memory.list', { space_id: SPACE })).memories.find((m: { memory_id: string }) => m.memory_id === red)).toBeUndefined();
    expect((await b.c('privacy.erase', { memory_ids: [red], confirm: true, reauth: { passphrase: PASS } })).erased).toEqual([red]);
    const later = (await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after the erasure', body: 'x' })).memory.memory_id;
    const res = receiveEntries(a.app.ctx, SPACE, lacking(b, a, SPACE));
    expect(res.refused).toEqual([]);
    expect(isTombstoned(a.app.ctx, SPACE, red)).toBe(true);
    expect((await a.c('memory.get', { memory_id: later })).memory.title).toBe('after the erasure');
    expect(vectorOf(a, SPACE)).toEqual(vectorOf(b, SPACE));
  });
});
