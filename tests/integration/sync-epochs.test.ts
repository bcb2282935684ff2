import { afterAll, describe, expect, it } from 'vitest';
import { rotateEpoch } from '../../core/spaces/membership';
import { epochKey } from '../../core/spaces/epoch-keys';
import { device, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const SPACE = 'shared:family';
const same = (x: TestApp, y: TestApp) => JSON.stringify(Object.entries(vectorOf(x, SPACE)).sort()) === JSON.stringify(Object.entries(vectorOf(y, SPACE)).sort());

describe('two guardians start the same epoch while apart', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('every device ends up writing under the same key, and what each wrote under its own still opens', async () => {
    const a = await device('Ana'); apps.push(a);
    const b = await device('Bea'); apps.push(b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const inv = await a.c('space.invite', { space_id: SPACE, role: 'guardian' });
    await b.c('space.join', { invite: inv.invite });
    await waitFor('B to hold the space', async () => same(a, b) && (await b.c('space.get', { space_id: SPACE })).space.my_role === 'guardian');

    // apart: each guardian starts epoch 2 with a key of its own, and writes under it
    await a.c('sync.disconnect'); await b.c('sync.disconnect');
    const [ma, mb] = [a.app.ctx.keyring!.memberId, b.app.ctx.keyring!.memberId];
    a.app.ctx.uow.run(() => rotateEpoch(a.app.ctx, ma, SPACE));
    b.app.ctx.uow.run(() => rotateEpoch(b.app.ctx, mb, SPACE));
    expect(Buffer.from(epochKey(a.app.ctx, SPACE, 2)).equals(Buffer.from(epochKey(b.app.ctx, SPACE, 2)))).toBe(false);
    const fromA = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'written by A apart', body: 'under A key' })).memory.memory_id;
    const fromB = (await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'written by B apart', body: 'under B key' })).memory.memory_id;

    // together again
    await b.c('sync.connect', { address: `127.0.0.1:${a.app.sync!.direct!.port}` });
    await waitFor('convergence', () => same(a, b), 20_000);
    const keyA = Buffer.from(epochKey(a.app.ctx, SPACE, 2));
    const keyB = Buffer.from(epochKey(b.app.ctx, SPACE, 2));
    expect(keyA.equals(keyB)).toBe(true); // deterministic: the same of the two keys on both
    await waitFor('both memories on both devices', async () => {
      const sa = await stateOf(a, SPACE); const sb = await stateOf(b, SPACE);
      return sa[fromB]?.body === 'under B key' && sb[fromA]?.body === 'under A key';
    }, 20_000);

    // from now on both write under that key: each reads what the other writes next
    const nextA = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'AMBER', title: 'after', body: 'A again' })).memory.memory_id;
    const nextB = (await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'AMBER', title: 'after', body: 'B again' })).memory.memory_id;
    await waitFor('the next ones too', async () => {
      const sa = await stateOf(a, SPACE); const sb = await stateOf(b, SPACE);
      return sa[nextB]?.body === 'B again' && sb[nextA]?.body === 'A again';
    }, 20_000);
    // and a new member added now gets the key everyone writes under
    expect((await a.c('space.get', { space_id: SPACE })).space.epoch).toBe(2);
    expect((await b.c('space.get', { space_id: SPACE })).space.epoch).toBe(2);
  }, 90_000);
});
