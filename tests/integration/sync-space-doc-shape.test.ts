import { afterAll, describe, expect, it } from 'vitest';
import { writeSpaceDoc } from '../../core/spaces/space-doc';
import { roleOf, spaceRow } from '../../core/spaces/spaces';
import { entriesAfter, entryToJson, type EntryJson } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { device, vectorOf, waitFor, type TestApp } from '../helpers/sync';

/**
 * Found by a hostile review (stop 31): a device entry of the space document set to null by a
 * member who is not an administrator passed the check (null counted as "no device"), and every
 * device's materialising then threw on it, so the frame holding it rolled back whole, again at
 * every retry. A device entry that is not one is now refused from a member and skipped from an
 * administrator (whose entries are not checked), and nothing else of the document is lost.
 */
const SPACE = 'shared:family';

const lacking = (from: TestApp, to: TestApp): EntryJson[] => {
  const held = vectorOf(to, SPACE);
  return entriesAfter(from.app.ctx, SPACE, 0, 100_000).filter((e) => e.seq > (held[e.author_device] ?? 0)).map(entryToJson);
};

describe('a device entry in the space document that is no device', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('is refused from a member, skipped from an administrator; the space still reads and syncs', async () => {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    for (const t of [b, c]) await t.c('space.join', { invite: (await a.c('space.invite', { space_id: SPACE, role: 'adult' })).invite });
    const members = [a, b, c].map((t) => t.app.ctx.keyring!.memberId);
    await waitFor('every device to know every member', () => [a, b, c].every((t) => members.every((m) => roleOf(t.app.ctx, SPACE, m))));
    await waitFor('equal vectors', () => [b, c].every((t) => JSON.stringify(vectorOf(t, SPACE)) === JSON.stringify(vectorOf(a, SPACE))));
    for (const t of [a, b, c]) t.app.sync!.pause();
    const forge = (t: TestApp, value: unknown) => {
      const ctx = t.app.ctx;
      ctx.uow.run(() => writeSpaceDoc(ctx, SPACE, spaceRow(ctx, SPACE).epoch, (_info, _members, doc) => doc.getMap('devices').set('01ARZ3NDEKTSV4RRFFQ69G5FAV', value)));
    };
    forge(b, null);
    expect(receiveEntries(c.app.ctx, SPACE, lacking(b, c)).refused.map((r) => r.reason)).toEqual(['role_admin']);
    forge(a, null);
    forge(a, { device_id: 5, platform: ['x'] });
    await a.c('space.rename', { space_id: SPACE, name: 'Still the family' });
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c)).refused).toEqual([]);
    expect((await c.c('space.get', { space_id: SPACE })).space.name).toBe('Still the family');
    const id = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after', body: 'x' })).memory.memory_id;
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c)).refused).toEqual([]);
    expect((await c.c('memory.get', { memory_id: id })).memory.title).toBe('after');
  });
});
