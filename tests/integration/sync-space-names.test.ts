import { afterAll, describe, expect, it } from 'vitest';
import { applyRoster } from '../../core/spaces/roster';
import { writeSpaceDoc } from '../../core/spaces/space-doc';
import { spaceRow } from '../../core/spaces/spaces';
import { receiveEntries } from '../../core/sync/receive';
import { device, lacking, pausedFamily, type TestApp } from '../helpers/sync';

/**
 * Noticed at stop 31 and fixed at stop 32: a space's name and kind reach a device from another
 * device's space document and rosters, which a modified client may fill with anything. An empty
 * name, one of 500 characters or a kind no release has made broke space.list and space.get on
 * every device of the space (the router checks each response against its contract: Label is 1 to
 * 200 characters). A name no view can show is now shown as the slug of the space's id (or cut to
 * 200 characters), and the kind is always the first part of the id.
 */
const SPACE = 'shared:family';

async function shown(t: TestApp, space: string): Promise<{ kind: string; name: string }> {
  const got = (await t.c('space.get', { space_id: space })).space;
  const listed = (await t.c('space.list', {})).spaces.find((s: { space_id: string }) => s.space_id === space);
  expect(listed).toMatchObject({ kind: got.kind, name: got.name });
  return { kind: got.kind, name: got.name };
}

describe('a space name or kind no view can show, from another device', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('in the space document: shown as the slug, cut to 200 characters, under the kind its id names', async () => {
    const [a, b] = [await device('Ana'), await device('Ben')];
    apps.push(a, b);
    await pausedFamily(a, [b], SPACE);
    const actx = a.app.ctx;
    // what Ana's device, running modified code, writes (she is the administrator: the name is hers to change)
    const write = (fn: (info: import('yjs').Map<unknown>) => void) => {
      actx.uow.run(() => writeSpaceDoc(actx, SPACE, spaceRow(actx, SPACE).epoch, (info) => fn(info)));
      expect(receiveEntries(b.app.ctx, SPACE, lacking(a, b, SPACE)).refused).toEqual([]);
    };
    write((info) => info.set('name', ''));
    expect(await shown(b, SPACE)).toEqual({ kind: 'shared', name: 'family' });
    write((info) => info.set('name', 'x'.repeat(500)));
    expect(await shown(b, SPACE)).toEqual({ kind: 'shared', name: 'x'.repeat(200) });
    write((info) => info.set('name', 42));
    expect(await shown(b, SPACE)).toEqual({ kind: 'shared', name: 'family' });
    write((info) => { info.set('name', 'Family again'); info.set('kind', 'bogus'); });
    expect(await shown(b, SPACE)).toEqual({ kind: 'shared', name: 'Family again' });
  });

  it('in a roster: a new space learnt with no name and a wrong kind is listed whole', async () => {
    const c = await device('Cy'); apps.push(c);
    const ctx = c.app.ctx;
    const me = ctx.keyring!.memberId;
    const space = 'extended:grandparents';
    ctx.uow.run(() => applyRoster(ctx, [{ space_id: space, kind: 'bogus', name: '', created_by: me, members: [{ member_id: me, role: 'guardian' }], devices: [] } as never], 'peer'));
    expect(await shown(c, space)).toEqual({ kind: 'extended', name: 'grandparents' });
  });
});
