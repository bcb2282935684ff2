import { afterAll, describe, expect, it } from 'vitest';
import { openApp } from '../../core/app/app';
import { internals } from '../../core/app/internals';
import { PASS, TestClock } from '../helpers/app';
import { device, offeredCode, waitFor, type TestApp } from '../helpers/sync';
import { tempDir } from '../helpers/tmp';

const SYNC = { direct: { host: '127.0.0.1' }, helloMs: 300 };

/** An owner whose host can stop and start again on the same data directory. */
async function restartable(dir: string, clock?: TestClock) {
  const app = await openApp({ dataDir: dir, sync: SYNC, clock });
  return { app, c: (m: string, p: unknown = {}) => app.call(m, p) as Promise<any> };
}

describe('invites persist: single use, expiring, revocable, across a restart', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => { for (const f of cleanups.reverse()) await f(); });

  it('an invite made before a restart pairs a device after it, once; a revoked one pairs nobody', async () => {
    const { dir, cleanup } = tempDir('memoryos-invites-');
    cleanups.push(cleanup);
    let owner = await restartable(dir);
    await owner.c('vault.create', { passphrase: PASS, name: 'Ana' });
    const kept = await owner.c('device.pairOffer');
    const revoked = await owner.c('device.pairOffer');
    expect((await owner.c('invite.list')).invites.map((i: any) => [i.invite_id, i.status])).toEqual(expect.arrayContaining([[kept.invite_id, 'open'], [revoked.invite_id, 'open']]));
    await owner.c('invite.revoke', { invite_id: revoked.invite_id });
    await owner.app.close();

    // the host restarts on another port: the invites' address hints name the old one, so the new device dials the new one
    owner = await restartable(dir);
    cleanups.push(() => owner.app.close());
    await owner.c('vault.unlock', { passphrase: PASS });
    const port = internals(owner.app).sync()!.direct!.port;
    const retarget = (invite: string) => {
      const inv = JSON.parse(Buffer.from(invite.slice(5), 'base64url').toString('utf8'));
      return 'mos1.' + Buffer.from(JSON.stringify({ ...inv, hints: [`127.0.0.1:${port}`] })).toString('base64url');
    };
    const fresh: TestApp = await device('Ana2');
    cleanups.push(() => fresh.close());
    await expect(fresh.c('device.pairAccept', { invite: retarget(revoked.invite) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const acc = await fresh.c('device.pairAccept', { invite: retarget(kept.invite) });
    const ownerView = { c: owner.c } as unknown as TestApp;
    expect(acc.code).toBe(await offeredCode(ownerView, fresh.app.ctx.keyring!.deviceId));
    await fresh.c('device.confirm', { device_id: acc.device_id });
    await owner.c('device.confirm', { device_id: fresh.app.ctx.keyring!.deviceId });
    await waitFor('adoption', () => fresh.app.ctx.keyring!.memberId === internals(owner.app).ctx.keyring!.memberId);

    // single use: a second device presenting the same invite is refused
    const third: TestApp = await device('Ana3');
    cleanups.push(() => third.close());
    await expect(third.c('device.pairAccept', { invite: retarget(kept.invite) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const states = Object.fromEntries((await owner.c('invite.list')).invites.map((i: any) => [i.invite_id, i.status]));
    expect(states[kept.invite_id]).toBe('used');
    expect(states[revoked.invite_id]).toBe('revoked');
  }, 60_000);

  it('an invite past its expiry pairs nobody', async () => {
    const { dir, cleanup } = tempDir('memoryos-invites-exp-');
    cleanups.push(cleanup);
    const clock = new TestClock(Date.now());
    const owner = await restartable(dir, clock);
    cleanups.push(() => owner.app.close());
    await owner.c('vault.create', { passphrase: PASS, name: 'Ana' });
    const offer = await owner.c('device.pairOffer');
    clock.advance(16 * 60_000); // invites live 15 minutes
    expect((await owner.c('invite.list')).invites[0].status).toBe('expired');
    const fresh: TestApp = await device('Ana2');
    cleanups.push(() => fresh.close());
    // the new device's own clock still sees it valid: the offering device is the one that refuses
    await expect(fresh.c('device.pairAccept', { invite: offer.invite })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  }, 60_000);
});
