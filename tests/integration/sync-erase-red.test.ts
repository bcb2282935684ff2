import { afterAll, describe, expect, it } from 'vitest';
import { roleOf } from '../../core/spaces/spaces';
import { isTombstoned } from '../../core/memories/erasure';
import { entriesAfter, entryToJson, type EntryJson } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { PASS } from '../helpers/app';
import { device, vectorOf, waitFor, type TestApp } from '../helpers/sync';

/**
 * Found by a hostile review (stop 31), an honest user's problem: a device a RED memory is not
 * sealed to holds no read model of it, and judged its author's tombstone without knowing the
 * author: refused as forbidden, and every later entry of the author's device then waited on it
 * (a gap). The author is now read from the memory's metadata in the log where no row is held.
 */
const SPACE = 'shared:family';

const lacking = (from: TestApp, to: TestApp): EntryJson[] => {
  const held = vectorOf(to, SPACE);
  return entriesAfter(from.app.ctx, SPACE, 0, 100_000).filter((e) => e.seq > (held[e.author_device] ?? 0)).map(entryToJson);
};

describe('the author erases their RED memory', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('on a device it was never sealed to too, and the author\'s later entries arrive there', async () => {
    const [a, b] = [await device('Ana'), await device('Ben')];
    apps.push(a, b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    await b.c('space.join', { invite: (await a.c('space.invite', { space_id: SPACE, role: 'adult' })).invite });
    const members = [a, b].map((t) => t.app.ctx.keyring!.memberId);
    await waitFor('both devices to know both members', () => [a, b].every((t) => members.every((m) => roleOf(t.app.ctx, SPACE, m))));
    await waitFor('equal vectors', () => JSON.stringify(vectorOf(b, SPACE)) === JSON.stringify(vectorOf(a, SPACE)));
    for (const t of [a, b]) t.app.sync!.pause();
    // an adult's RED memory, sealed to its author alone
    const red = (await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'RED', title: 'only mine', body: 'diary' })).memory.memory_id;
    expect(receiveEntries(a.app.ctx, SPACE, lacking(b, a)).refused).toEqual([]);
    expect((await a.c('memory.list', { space_id: SPACE })).memories.find((m: { memory_id: string }) => m.memory_id === red)).toBeUndefined();
    expect((await b.c('privacy.erase', { memory_ids: [red], confirm: true, reauth: { passphrase: PASS } })).erased).toEqual([red]);
    const later = (await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after the erasure', body: 'x' })).memory.memory_id;
    const res = receiveEntries(a.app.ctx, SPACE, lacking(b, a));
    expect(res.refused).toEqual([]);
    expect(isTombstoned(a.app.ctx, SPACE, red)).toBe(true);
    expect((await a.c('memory.get', { memory_id: later })).memory.title).toBe('after the erasure');
    expect(vectorOf(a, SPACE)).toEqual(vectorOf(b, SPACE));
  });
});
