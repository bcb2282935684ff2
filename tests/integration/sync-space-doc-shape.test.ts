import { afterAll, describe, expect, it } from 'vitest';
import { writeSpaceDoc } from '../../core/spaces/space-doc';
import { spaceRow } from '../../core/spaces/spaces';
import { receiveEntries } from '../../core/sync/receive';
import { device, lacking, pausedFamily, type TestApp } from '../helpers/sync';

/**
 * Found by a hostile review (stop 31): a device entry of the space document set to null by a
 * member who is not an administrator passed the check (null counted as "no device"), and every
 * device's materialising then threw on it, so the frame holding it rolled back whole, again at
 * every retry. A device entry that is not one is now refused from a member and skipped from an
 * administrator (whose entries are not checked), and nothing else of the document is lost.
 */
const SPACE = 'shared:family';

describe('a device entry in the space document that is no device', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('is refused from a member, skipped from an administrator; the space still reads and syncs', async () => {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await pausedFamily(a, [b, c], SPACE);
    const forge = (t: TestApp, value: unknown) => {
      const ctx = t.app.ctx;
      ctx.uow.run(() => writeSpaceDoc(ctx, SPACE, spaceRow(ctx, SPACE).epoch, (_info, _members, doc) => doc.getMap('devices').set('01ARZ3NDEKTSV4RRFFQ69G5FAV', value)));
    };
    forge(b, null);
    expect(receiveEntries(c.app.ctx, SPACE, lacking(b, c, SPACE)).refused.map((r) => r.reason)).toEqual(['role_admin']);
    // (review) their own member_keys entry as something no device can read keys from
    const bctx = b.app.ctx;
    bctx.uow.run(() => bctx.db.prepare("DELETE FROM sync_log WHERE space_id = ? AND author_device = ? AND seq = (SELECT MAX(seq) FROM sync_log WHERE space_id = ? AND author_device = ?)").run(SPACE, bctx.keyring!.deviceId, SPACE, bctx.keyring!.deviceId));
    bctx.seqCache.clear();
    bctx.uow.run(() => writeSpaceDoc(bctx, SPACE, spaceRow(bctx, SPACE).epoch, (_info, _members, doc) => doc.getMap('member_keys').set(bctx.keyring!.memberId, true)));
    expect(receiveEntries(c.app.ctx, SPACE, lacking(b, c, SPACE)).refused.map((r) => r.reason)).toEqual(['role_admin']);
    forge(a, null);
    forge(a, { device_id: 5, platform: ['x'] });
    await a.c('space.rename', { space_id: SPACE, name: 'Still the family' });
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect((await c.c('space.get', { space_id: SPACE })).space.name).toBe('Still the family');
    const id = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after', body: 'x' })).memory.memory_id;
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect((await c.c('memory.get', { memory_id: id })).memory.title).toBe('after');
  });
});
