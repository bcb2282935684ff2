import { afterAll, describe, expect, it } from 'vitest';
import { device, pair, stateOf, waitFor, type TestApp } from '../helpers/sync';

describe('a member-key rotation re-seals what the rotated key could open', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('a device linked after the rotation opens the RED history its person is entitled to', async () => {
    const a = await device('Ana'); const a2 = await device('Ana');
    apps.push(a, a2);
    const red = (await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'RED', title: 'sealed before', body: 'red history 7731' })).memory.memory_id;
    await pair(a, a2);
    await waitFor('a2 to hold the RED memory', async () => (await stateOf(a2, 'personal:me'))[red]);
    // revoking an own device rotates the member key: the RED memory was sealed to the old one
    await a.c('device.revoke', { device_id: a2.app.ctx.keyring!.deviceId });
    // a device linked now receives only the new member key
    const a3 = await device('Ana'); apps.push(a3);
    await pair(a, a3);
    await waitFor('a3 to hold the RED memory', async () => (await stateOf(a3, 'personal:me'))[red], 20_000);
    const got = await waitFor('a3 to open it', async () => {
      try { return (await a3.c('memory.get', { memory_id: red })).memory; } catch { return null; }
    }, 20_000);
    expect(got.body).toBe('red history 7731');
    expect(a3.app.ctx.keyring!.retired.get(a.app.ctx.keyring!.memberId) ?? []).toEqual([]); // not through an old key
  }, 90_000);
});
