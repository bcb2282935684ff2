import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decryptEntry, docEntries } from '../../core/store/sync-log';
import { unseal } from '../../core/crypto/sodium';
import { device, stateOf, vectorOf, waitFor, type TestApp } from '../helpers/sync';

describe('family members: invite, join, remove with epoch rotation', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('B joins A\'s space as adult, syncs, is removed, and cannot decrypt what A writes next', async () => {
    const a = await device('Ana'); apps.push(a);
    const b = await device('Ben'); apps.push(b);
    await a.c('settings.set', { settings: { undo_window_seconds: 1 } });
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const before = await a.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'wifi', body: 'fridge' });
    const bMember = b.app.ctx.keyring!.memberId;
    const aMember = a.app.ctx.keyring!.memberId;
    const red = await a.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'RED', title: 'red for ana only', body: 'secret' });

    const inv = await a.c('space.invite', { space_id: 'shared:family', role: 'adult' });
    const joined = await b.c('space.join', { invite: inv.invite });
    expect(joined).toMatchObject({ space_id: 'shared:family', role: 'adult', status: 'joined' });
    await waitFor('B to see the memory', async () => (await stateOf(b, 'shared:family'))[before.memory.memory_id]?.body === 'fridge');
    const bs = await b.c('space.get', { space_id: 'shared:family' });
    expect(bs.space.my_role).toBe('adult');
    expect(bs.space.members.map((m: any) => m.member_id).sort()).toEqual([aMember, bMember].sort());
    // RED for A only: B stores the ciphertext but has no readable row
    await waitFor('equal vectors', () => JSON.stringify(vectorOf(a, 'shared:family')) === JSON.stringify(vectorOf(b, 'shared:family')));
    expect(docEntries(b.app.ctx, 'sync_log', 'shared:family', red.memory.memory_id).length).toBeGreaterThan(0);
    expect((await stateOf(b, 'shared:family'))[red.memory.memory_id]).toBeUndefined();

    // B writes, A sees it
    const fromB = await b.c('memory.create', { space_id: 'shared:family', type: 'episodic', band: 'AMBER', title: 'from ben', body: 'pizza friday' });
    await waitFor('A to see B\'s memory', async () => (await stateOf(a, 'shared:family'))[fromB.memory.memory_id]?.title === 'from ben');

    // A removes B (staged, then committed by the scheduler) → new epoch
    const rm = await a.c('space.removeMember', { space_id: 'shared:family', member_id: bMember });
    expect(rm.status).toBe('staged');
    expect((await a.c('space.get', { space_id: 'shared:family' })).space.epoch).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    a.app.tick();
    const after = await a.c('space.get', { space_id: 'shared:family' });
    expect(after.space.epoch).toBe(2);
    expect(after.space.members.map((m: any) => m.member_id)).toEqual([aMember]);

    const next = await a.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'after removal', body: 'new door code 4711' });
    await new Promise((r) => setTimeout(r, 800));
    // B is no longer sent anything of the space
    expect(docEntries(b.app.ctx, 'sync_log', 'shared:family', next.memory.memory_id)).toEqual([]);
    // even holding A's new entries (a leak, a hostile relay), B opens none of them with any key it has
    const leaked = [...docEntries(a.app.ctx, 'sync_log', 'shared:family', next.memory.memory_id + '.meta'), ...docEntries(a.app.ctx, 'sync_log', 'shared:family', next.memory.memory_id)];
    expect(leaked.length).toBe(2);
    const bk = b.app.ctx.keyring!;
    const candidates: Uint8Array[] = [...bk.epochKeys.values(), ...bk.deks.values()];
    const seals = a.app.ctx.db.prepare("SELECT sealed FROM epoch_seals WHERE space_id = 'shared:family' AND epoch = 2").all() as { sealed: Buffer }[];
    for (const s of seals) { const k = unseal(new Uint8Array(s.sealed), bk.members.get(bMember)!.box); expect(k).toBeNull(); }
    expect(seals.length).toBe(1);
    for (const e of leaked) for (const k of candidates) expect(decryptEntry(e, k)).toBeNull();
    expect(leaked[0].key_id).toBe('epoch:shared:family:2');
    // and A's history stays readable to A after the rotation
    expect((await a.c('memory.get', { memory_id: before.memory.memory_id })).memory.body).toBe('fridge');
    void Y;
  });
});
