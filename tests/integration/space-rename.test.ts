/**
 * Issue "the app a family would keep", item 8: a space can be renamed, by its guardians. The name
 * goes into the space document, so the vault owner's other device shows it after sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { device, pair, waitFor, type TestApp } from '../helpers/sync';

describe('space.rename', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await device('Ana');
    b = await device('Ana2');
    await pair(a, b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
  }, 60_000);
  afterAll(async () => { await a?.close(); await b?.close(); });

  it('renames for the guardian, keeps the id, and reaches the other device', async () => {
    await waitFor('the space on the other device', async () => (await b.c('space.list')).spaces.some((s: any) => s.space_id === 'shared:family'));
    const r = await a.c('space.rename', { space_id: 'shared:family', name: 'The Garcias' });
    expect(r.space).toMatchObject({ space_id: 'shared:family', name: 'The Garcias' });
    expect((await a.c('space.get', { space_id: 'shared:family' })).space.name).toBe('The Garcias');
    await waitFor('the new name on the other device', async () => (await b.c('space.get', { space_id: 'shared:family' })).space.name === 'The Garcias');
  });

  it('refuses a profile who does not guard the space, and an empty name', async () => {
    const leo = (await a.c('member.create', { name: 'Leo' })).member.member_id;
    await a.c('space.addMember', { space_id: 'shared:family', member_id: leo, role: 'child' });
    await expect(a.c('space.rename', { space_id: 'shared:family', name: 'Leo’s' }, leo)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reasons: [{ code: 'MISSING_CAP_ADMIN' }] } });
    await expect(a.c('space.rename', { space_id: 'shared:family', name: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(a.c('space.rename', { space_id: 'shared:nowhere', name: 'X' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
