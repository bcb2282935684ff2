/**
 * Issue "the app a family would keep", item 8: devices have names. A name is given on this device
 * (device.rename, an owner action), sealed like every name, shown by device.list while unlocked,
 * and kept across a lock and a reopen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, PASS, reopen } from '../helpers/app';

describe('device names', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let device: string;
  beforeAll(async () => {
    t = await openTestApp();
    device = t.app.ctx.keyring!.deviceId;
  });
  afterAll(async () => { await t.close().catch(() => {}); });

  it('names a device, shown by device.list; a profile may not rename', async () => {
    expect((await t.c('device.list')).devices[0].name).toBeUndefined();
    const r = await t.c('device.rename', { device_id: device, name: 'Kitchen laptop' });
    expect(r.device).toMatchObject({ device_id: device, name: 'Kitchen laptop', this_device: true });
    expect((await t.c('device.list')).devices.find((d: any) => d.device_id === device).name).toBe('Kitchen laptop');
    const leo = (await t.c('member.create', { name: 'Leo' })).member.member_id;
    await expect(t.c('device.rename', { device_id: device, name: 'Mine now' }, leo)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reasons: [{ code: 'NOT_OWNER' }] } });
    await expect(t.c('device.rename', { device_id: '01JD0000000000000000000009', name: 'Nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.c('device.rename', { device_id: device, name: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('is kept across a lock and a reopen', async () => {
    await t.c('vault.lock');
    await t.c('vault.unlock', { passphrase: PASS });
    expect((await t.c('device.list')).devices[0].name).toBe('Kitchen laptop');
    await t.app.close();
    const again = await reopen(t.dir);
    try {
      await again.call('vault.unlock', { passphrase: PASS });
      expect(((await again.call('device.list', {})) as any).devices[0].name).toBe('Kitchen laptop');
    } finally {
      await again.close();
    }
  });
});
