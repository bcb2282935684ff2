import { afterAll, describe, expect, it } from 'vitest';
import { materialiseSpace } from '../../core/spaces/materialise';
import { writeSpaceDoc } from '../../core/spaces/space-doc';
import { roleOf, spaceRow } from '../../core/spaces/spaces';
import { entryFromJson, insertReceived } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { device, lacking, pausedFamily, type TestApp } from '../helpers/sync';

/**
 * Found by a review at stop 32 (the class of sync-space-names.test.ts): a role no release defines,
 * written into the space document by a modified administrator's device, was stored as it came,
 * and space.list and space.get threw on it (the policy has no capabilities for it) on every
 * device of the space. Such an entry is refused as malformed now, and one a device already holds
 * (stored before this check) makes that member no member there, not a broken view.
 */
const SPACE = 'shared:family';

describe('a role no release defines, in the space document', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('is refused, even from an administrator; one already held leaves that member out and the views whole', async () => {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await pausedFamily(a, [b, c], SPACE);
    const actx = a.app.ctx;
    const [bm, cm] = [b, c].map((t) => t.app.ctx.keyring!.memberId);
    actx.uow.run(() => writeSpaceDoc(actx, SPACE, spaceRow(actx, SPACE).epoch, (_info, members) => members.set(cm!, 'bogus')));
    const offered = lacking(a, b, SPACE);
    expect(receiveEntries(b.app.ctx, SPACE, offered).refused.map((r) => r.reason)).toEqual(['malformed']);
    expect(roleOf(b.app.ctx, SPACE, cm!)).toBe('adult');
    // the same entry held already, as a device stored it before the check
    const bctx = b.app.ctx;
    bctx.uow.run(() => { insertReceived(bctx, entryFromJson(offered[0]!)); materialiseSpace(bctx, SPACE); });
    expect(roleOf(bctx, SPACE, cm!)).toBeNull();
    expect(roleOf(bctx, SPACE, bm!)).toBe('adult');
    const listed = (await b.c('space.list', {})).spaces.find((s: { space_id: string }) => s.space_id === SPACE);
    expect(listed.members.map((m: { role: string }) => m.role).sort()).toEqual(['adult', 'guardian']);
    expect((await b.c('space.get', { space_id: SPACE })).space.members).toHaveLength(2);
  });
});
