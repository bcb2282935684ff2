import { afterAll, describe, expect, it } from 'vitest';
import { docEntries } from '../../core/store/sync-log';
import { syncPeersTable } from '../../core/store/tables/sync-peers';
import { device, pair, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

const CANARY = 'CANARY-inside-noise-4c1d';

describe('sync between in-process devices (direct transport)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });
  /** when A last saw its session with B verified up to date, per space (the live figure) */
  let liveVerified: Record<string, string> = {};

  it('pairs, converges, pushes live; even inside the Noise channel no frame carries plaintext', async () => {
    const frames: Buffer[] = [];
    const tap = (_dir: 'in' | 'out', f: Buffer) => { frames.push(Buffer.from(f)); };
    const a = await device('Ana', { tap }); apps.push(a);
    const b = await device('Ana2', { tap }); apps.push(b);
    await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: `wifi ${CANARY}`, body: `the password is ${CANARY}` });
    await a.c('space.create', { kind: 'shared', name: `Family ${CANARY}`, slug: 'family' });
    await pair(a, b);
    await waitFor('b to hold the personal space', async () => Object.keys(await stateOf(b, 'personal:me')).length === 1);
    expect(await stateOf(b, 'personal:me')).toEqual(await stateOf(a, 'personal:me'));
    const m = await b.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'AMBER', title: 'from b', body: `hello ${CANARY}` });
    await waitFor('a to receive b\'s memory', async () => (await stateOf(a, 'personal:me'))[m.memory.memory_id]);
    // the receiving side says so with an event, for screens to follow live (ids only)
    const applied = (await a.c('events.list', { topic: 'SYNC_APPLIED' })).events;
    expect(applied.some((e: any) => e.payload.memory_ids.includes(m.memory.memory_id) && e.payload.author_devices.includes(b.app.ctx.keyring!.deviceId))).toBe(true);
    await waitFor('equal vectors', () => JSON.stringify(vectorOf(a, 'personal:me')) === JSON.stringify(vectorOf(b, 'personal:me')));
    await waitFor('the shared space too', () => JSON.stringify(vectorOf(a, 'shared:family')) === JSON.stringify(vectorOf(b, 'shared:family')) && Object.keys(vectorOf(b, 'shared:family')).length > 0);
    expect((await b.c('space.get', { space_id: 'shared:family' })).space.name).toBe(`Family ${CANARY}`);
    const st = await waitFor('verified up to date', async () => {
      const s = await a.c('sync.status', {});
      return s.peers[0]?.spaces.every((x: any) => x.verified_up_to_date) ? s : null;
    });
    expect(st.peers[0]).toMatchObject({ device_id: b.app.ctx.keyring!.deviceId, status: 'trusted', connected: true, transport: 'direct' });
    liveVerified = Object.fromEntries((await a.c('sync.status', {})).peers[0].spaces.map((x: any) => [x.space_id, x.verified_at]));
    expect(frames.length).toBeGreaterThan(5);
    expect(frames.some((f) => f.includes('"t":"entries"'))).toBe(true);
    // rosters between own devices carry space names inside Noise; entries never carry content
    for (const f of frames.filter((x) => x.includes('"t":"entries"'))) expect(f.includes(CANARY)).toBe(false);
  });

  it('revokes a device: refused from then on, epochs rotate, nothing new reaches it', async () => {
    const [a, b] = apps;
    const before = (await a.c('space.get', { space_id: 'personal:me' })).space.epoch;
    const r = await a.c('device.revoke', { device_id: b.app.ctx.keyring!.deviceId });
    expect(r.rotated).toContain('personal:me');
    expect((await a.c('space.get', { space_id: 'personal:me' })).space.epoch).toBe(before + 1);
    await waitFor('sessions closed', () => a.app.sync!.sessions.size === 0);
    const next = await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'after revoke', body: 'x' });
    await expect(b.c('sync.connect', { address: `127.0.0.1:${a.app.sync!.direct!.port}` })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await new Promise((r2) => setTimeout(r2, 400));
    expect(docEntries(b.app.ctx, 'sync_log', 'personal:me', next.memory.memory_id)).toEqual([]);
    const st = await a.c('sync.status', {});
    const peer = st.peers.find((p: any) => p.device_id === b.app.ctx.keyring!.deviceId);
    expect(peer.status).toBe('revoked');
    // the session wrote "verified up to date" as it closed, not only as often as its throttle lets it
    const stored = syncPeersTable.ofDevice(a.app.ctx.db, b.app.ctx.keyring!.deviceId);
    expect(stored.map((x) => x.space_id).sort()).toEqual(Object.keys(liveVerified).sort());
    for (const x of stored) expect(x.verified_at).toBeGreaterThanOrEqual(Date.parse(liveVerified[x.space_id]!));
  });
});
