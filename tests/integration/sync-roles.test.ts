import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Decision } from '../../contracts/types';
import { applyBand } from '../../core/memories/band';
import { loadRecord, writeNewMemory } from '../../core/memories/memories';
import { roleOf, setMemberRole } from '../../core/spaces/spaces';
import { docEntries } from '../../core/store/sync-log';
import { device, waitFor, type TestApp } from '../helpers/sync';

const SPACE = 'shared:family';
// a modified client skips its own policy engine: the decision it would have needed, forged
const FORGED: Decision = { effect: 'ALLOW', obligations: [], reasons: [], policy_version: '1.0.0' };

/** What a peer running modified code writes: straight into its log, past the local policy. */
function forgeMemory(t: TestApp, band: 'GREEN' | 'RED', title: string): string {
  const ctx = t.app.ctx;
  const actor = ctx.keyring!.memberId;
  return ctx.uow.run(() => writeNewMemory(ctx, actor, { space_id: SPACE, type: 'semantic', band, title, body: 'x' }, FORGED)).rec.memory_id;
}

describe('receivers enforce roles (a peer may run modified code)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('refuses and reports a child\'s RED, a guest\'s write, a non-author lowering a band and a non-guardian\'s role change; accepts a guardian\'s', async () => {
    const a = await device('Ana'); const child = await device('Cleo'); const guest = await device('Gus'); const adult = await device('Dan'); const teen = await device('Tia');
    apps.push(a, child, guest, adult, teen);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    for (const [t, role] of [[child, 'child'], [guest, 'guest'], [adult, 'adult'], [teen, 'teen']] as const) {
      const inv = await a.c('space.invite', { space_id: SPACE, role });
      await t.c('space.join', { invite: inv.invite });
    }
    const [childId, guestId, adultId] = [child, guest, adult].map((t) => t.app.ctx.keyring!.memberId);
    await waitFor('every device to know every role', () => [child, guest, adult].every((t) => roleOf(t.app.ctx, SPACE, adultId) === 'adult' && roleOf(t.app.ctx, SPACE, guestId) === 'guest'));
    const warn = vi.spyOn(a.app.ctx.log, 'warn');

    // an honest write by the child (AMBER) is accepted: the checks do not refuse what the policy allows
    const ok = await child.c('memory.create', { space_id: SPACE, type: 'episodic', band: 'AMBER', title: 'drew a cat', body: 'orange' });
    await waitFor('A to hold the child\'s AMBER memory', () => docEntries(a.app.ctx, 'sync_log', SPACE, ok.memory.memory_id).length === 1);

    // a teen lowering someone else's AMBER memory (only its author or a guardian may)
    await waitFor('the teen to hold it', () => teen.app.ctx.db.prepare('SELECT 1 FROM memories WHERE memory_id = ?').get(ok.memory.memory_id));
    const tctx = teen.app.ctx;
    tctx.uow.run(() => applyBand(tctx, tctx.keyring!.memberId, loadRecord(tctx, ok.memory.memory_id), 'GREEN'));
    expect((await teen.c('memory.get', { memory_id: ok.memory.memory_id })).memory.band).toBe('GREEN'); // on its own device only

    const red = forgeMemory(child, 'RED', 'child RED');
    const green = forgeMemory(guest, 'GREEN', 'guest GREEN');
    setMemberRole(adult.app.ctx, adultId, SPACE, adultId, 'guardian');
    expect(roleOf(adult.app.ctx, SPACE, adultId)).toBe('guardian'); // on its own device only

    const st = await waitFor('A to refuse all three', async () => {
      const s = await a.c('sync.status', {});
      return s.refused.role_band && s.refused.role_write && s.refused.role_admin && s.refused.role_meta ? s : null;
    });
    expect(st.refused).toMatchObject({ role_band: expect.any(Number), role_write: expect.any(Number), role_admin: expect.any(Number), role_meta: expect.any(Number) });
    for (const reason of ['role_band', 'role_write', 'role_admin', 'role_meta']) expect(a.app.ctx.metrics.counterValue('memoryos_sync_refused_total', { reason })).toBeGreaterThan(0);
    // never applied
    expect(docEntries(a.app.ctx, 'sync_log', SPACE, red + '.meta')).toEqual([]);
    expect(docEntries(a.app.ctx, 'sync_log', SPACE, green + '.meta')).toEqual([]);
    expect(roleOf(a.app.ctx, SPACE, adultId)).toBe('adult');
    await expect(a.c('memory.get', { memory_id: red })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.c('memory.get', { memory_id: ok.memory.memory_id })).memory.band).toBe('AMBER');
    // reported with ids only
    const lines = warn.mock.calls.filter(([m]) => m === 'sync entry refused').map(([, f]) => f as Record<string, unknown>);
    const authors = new Set(lines.map((f) => f.author_device));
    for (const t of [child, guest, adult, teen]) expect(authors.has(t.app.ctx.keyring!.deviceId)).toBe(true);
    for (const f of lines) expect(Object.keys(f).sort()).toEqual(['author_device', 'peer', 'reason', 'seq', 'space_id']);
    expect(JSON.stringify(lines)).not.toContain('child RED');

    // a guardian's role change is accepted on the other side
    await a.c('space.addMember', { space_id: SPACE, member_id: guestId, role: 'teen' });
    await waitFor('the guest\'s own device to see its new role', () => roleOf(guest.app.ctx, SPACE, guestId) === 'teen');
    await waitFor('the child\'s device to see it', () => roleOf(child.app.ctx, SPACE, guestId) === 'teen');
    expect(roleOf(child.app.ctx, SPACE, childId)).toBe('child');
    expect(st.refused.role_admin).toBeGreaterThan(0);
  }, 60_000);
});
