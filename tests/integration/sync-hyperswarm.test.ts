import createTestnet from 'hyperdht/testnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptEntry, docEntries } from '../../core/store/sync-log';
import { device, offeredCode, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

type Testnet = Awaited<ReturnType<typeof createTestnet>>;
const same = (ts: TestApp[], space: string) => ts.every((t) => JSON.stringify(Object.entries(vectorOf(t, space)).sort()) === JSON.stringify(Object.entries(vectorOf(ts[0], space)).sort()));

/** A loopback testnet per describe block, and devices that sync only through it. */
function swarmFixture(): (name: string) => Promise<TestApp> {
  let testnet: Testnet;
  const apps: TestApp[] = [];
  const nodes: { destroy(): Promise<void> }[] = [];
  beforeAll(async () => { testnet = await createTestnet(3); });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const n of nodes) await n.destroy().catch(() => {});
    await testnet.destroy();
  });
  return async (name: string) => {
    const dht = testnet.createNode();
    nodes.push(dht);
    const t = await device(name, { direct: null, hyperswarm: { dht } });
    apps.push(t);
    return t;
  };
}

describe('the same scenarios over Hyperswarm on the loopback testnet', () => {
  const swarmDevice = swarmFixture();

  it('pairs three devices, converges, merges concurrent edits, keeps BLACK home', async () => {
    const a = await swarmDevice('Ana'); const a2 = await swarmDevice('Ana'); const a3 = await swarmDevice('Ana');
    const m = await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'shopping', body: 'milk' });
    const black = await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'BLACK', title: 'diary', body: 'mine' });
    for (const fresh of [a2, a3]) {
      const offer = await a.c('device.pairOffer', {});
      const acc = await fresh.c('device.pairAccept', { invite: offer.invite });
      expect(acc.code).toBe(await offeredCode(a, fresh.app.ctx.keyring!.deviceId));
      expect(a.app.sync!.sessions.size).toBeGreaterThan(0);
      await fresh.c('device.confirm', { device_id: acc.device_id });
      await a.c('device.confirm', { device_id: fresh.app.ctx.keyring!.deviceId });
      await waitFor('adoption', () => fresh.app.ctx.keyring!.memberId === a.app.ctx.keyring!.memberId, 30_000);
    }
    await waitFor('three-way convergence', () => same([a, a2, a3], 'personal:me') && Object.keys(vectorOf(a3, 'personal:me')).length > 0, 40_000, 100);
    expect([...a2.app.sync!.sessions][0].opts.transport).toBe('hyperswarm');
    // concurrent edits while each device writes locally; the swarm carries them to everyone
    await Promise.all([
      a2.c('memory.update', { memory_id: m.memory.memory_id, patch: { body: 'milk, eggs' } }),
      a3.c('memory.update', { memory_id: m.memory.memory_id, patch: { body: 'oat milk' } }),
    ]);
    const x = await a3.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'AMBER', title: 'from a3', body: 'hi' });
    await waitFor('convergence after edits', () => same([a, a2, a3], 'personal:me'), 40_000, 100);
    const states = await Promise.all([a, a2, a3].map((t) => stateOf(t, 'personal:me')));
    for (const s of states.slice(1)) expect(s).toEqual(Object.fromEntries(Object.entries(states[0]).filter(([id]) => id !== black.memory.memory_id)));
    const body = states[1][m.memory.memory_id].body;
    expect(body).toContain('eggs');
    expect(body).toContain('oat');
    expect(states[0][x.memory.memory_id].title).toBe('from a3');
    expect(states[1][black.memory.memory_id]).toBeUndefined();
    expect(states[2][black.memory.memory_id]).toBeUndefined();
  });

  it('invites a family member, syncs, removes them; they decrypt nothing new', async () => {
    const a = await swarmDevice('Ana'); const b = await swarmDevice('Ben');
    await a.c('settings.set', { settings: { undo_window_seconds: 1 } });
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const m = await a.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'wifi', body: 'fridge' });
    const inv = await a.c('space.invite', { space_id: 'shared:family', role: 'adult' });
    expect((await b.c('space.join', { invite: inv.invite })).role).toBe('adult');
    await waitFor('B to read the memory', async () => (await stateOf(b, 'shared:family'))[m.memory.memory_id]?.body === 'fridge', 30_000);
    const bm = await b.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'from ben', body: 'x' });
    await waitFor('A to read B\'s memory', async () => (await stateOf(a, 'shared:family'))[bm.memory.memory_id], 30_000);
    await a.c('space.removeMember', { space_id: 'shared:family', member_id: b.app.ctx.keyring!.memberId });
    await new Promise((r) => setTimeout(r, 1100));
    a.app.tick();
    const next = await a.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'after', body: 'new code' });
    await new Promise((r) => setTimeout(r, 600));
    expect(docEntries(b.app.ctx, 'sync_log', 'shared:family', next.memory.memory_id)).toEqual([]);
    const leaked = docEntries(a.app.ctx, 'sync_log', 'shared:family', next.memory.memory_id + '.meta');
    for (const k of [...b.app.ctx.keyring!.epochKeys.values(), ...b.app.ctx.keyring!.deks.values()]) for (const e of leaked) expect(decryptEntry(e, k)).toBeNull();
  });
});

describe('Hyperswarm: faults and hostile input', () => {
  const swarmDevice = swarmFixture();

  it('converges under drops, duplicates and reordering, through a dropped connection, and refuses a flipped byte', async () => {
    const a = await swarmDevice('Ana'); const a2 = await swarmDevice('Ana');
    const offer = await a.c('device.pairOffer', {});
    const acc = await a2.c('device.pairAccept', { invite: offer.invite });
    await a2.c('device.confirm', { device_id: acc.device_id });
    await a.c('device.confirm', { device_id: a2.app.ctx.keyring!.deviceId });
    await waitFor('adoption and convergence', () => a2.app.ctx.keyring!.memberId === a.app.ctx.keyring!.memberId && same([a, a2], 'personal:me') && Object.keys(vectorOf(a2, 'personal:me')).length > 0, 30_000);
    for (const [i, t] of [a, a2].entries()) t.link.faults = { drop: 0.2, duplicate: 0.2, reorder: 0.2, seed: 11 + i };
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const t = i % 2 ? a2 : a;
      ids.push((await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: `w${i}`, body: `b${i}` })).memory.memory_id);
      if (i === 4) for (const s of [...a.app.sync!.sessions]) s.stream.destroy(); // the connection drops; the swarm reconnects
    }
    await waitFor('convergence under faults', () => same([a, a2], 'personal:me'), 45_000, 100);
    const sa = await stateOf(a, 'personal:me');
    for (const id of ids) expect(sa[id]).toBeDefined();
    expect(await stateOf(a2, 'personal:me')).toEqual(sa);
    for (const t of [a, a2]) t.link.faults = undefined;
    a2.link.tamper = (f) => {
      if (f.t !== 'entries') return f;
      const e = { ...f.entries[0] };
      const sig = Buffer.from(e.signature, 'base64'); sig[0] ^= 0x80; e.signature = sig.toString('base64');
      return { ...f, entries: [e, ...f.entries.slice(1)] };
    };
    await a2.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'flipped', body: 'x' });
    await waitFor('bad signature refused over the swarm', () => (a.app.sync!.refused.bad_signature ?? 0) >= 1, 20_000);
    a2.link.tamper = undefined;
    await waitFor('healed', () => same([a, a2], 'personal:me'), 30_000);
  });
});
