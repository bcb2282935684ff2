import { afterAll, describe, expect, it } from 'vitest';
import { NO_NAME } from '../../core/members/members';
import type { Frame } from '../../core/sync/frames';
import { Session } from '../../core/sync/session';
import { sealText } from '../../core/vault/local-meta';
import { device, waitFor, type TestApp } from '../helpers/sync';

/**
 * A member's name reaches every device of a space: the joiner's device sends it (the join frame),
 * and devices pass it on (rosters, the space document's member_keys). Found in a hostile review:
 * a joiner whose modified client sent an empty name made space.get, space.list and member.list
 * break their response contracts (Label: 1 to 200 characters) on every member's device. A join
 * without a name is refused, the joiner told why; a name no view can show that another device
 * passes on, or that a row holds already, is shown as NO_NAME.
 */
const SPACE = 'shared:family';

/** The views that name members, each through the router (which checks every response against its contract). */
async function views(t: TestApp): Promise<{ space: string[]; listed: string[]; members: string[] }> {
  const names = (ms: { name: string }[]) => ms.map((m) => m.name).sort();
  const space = (await t.c('space.get', { space_id: SPACE })).space;
  const listed = (await t.c('space.list', {})).spaces.find((s: { space_id: string }) => s.space_id === SPACE);
  return { space: names(space.members), listed: names(listed.members), members: names((await t.c('member.list', {})).members) };
}

/**
 * What a modified client sends: `t`'s setup frames (they go straight to the stream, past the link
 * wrapper tests use) with every member name in them replaced by `name`. Returns the undo.
 */
function forging(t: TestApp, kind: 'join' | 'join_ok', name: string): () => void {
  const send = Session.prototype.sendRaw;
  const rename = (f: Frame): Frame => {
    if (f.t === 'join' && kind === 'join') return { ...f, member: { ...f.member, name } };
    if (f.t === 'join_ok' && kind === 'join_ok') return { ...f, roster: { ...f.roster, members: f.roster.members.map((m) => ({ ...m, name })) } };
    return f;
  };
  Session.prototype.sendRaw = function (this: Session, f: Frame) { return send.call(this, this.node === t.app.sync ? rename(f) : f); };
  return () => { Session.prototype.sendRaw = send; };
}

describe('a member name no view can show breaks no member\'s views of the space', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  it('a joiner whose device sends no name is refused, told why, and may join with one; the inviter\'s views stay whole', async () => {
    const a = await device('Ana'); apps.push(a);
    const b = await device('Ben'); apps.push(b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const inv = await a.c('space.invite', { space_id: SPACE, role: 'adult' });
    const undo = forging(b, 'join', '');
    const refused = await b.c('space.join', { invite: inv.invite }).then(() => null, (e: unknown) => e).finally(undo);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', details: { reasons: [{ code: 'INVALID_INPUT' }] } });
    expect((refused as Error).message).toMatch(/no name/);
    expect(await views(a)).toEqual({ space: ['Ana'], listed: ['Ana'], members: ['Ana'] });
    // the invite is still the joiner's: the same one works once their device sends a name
    expect(await b.c('space.join', { invite: inv.invite })).toMatchObject({ space_id: SPACE, status: 'joined' });
    expect((await views(a)).space).toEqual(['Ana', 'Ana']);
  });

  it('a name no view can show, passed on by another device or held in a row already, is shown as a placeholder', async () => {
    // the inviter's modified client names every member of the roster it answers with ''
    const a = await device('Ana'); apps.push(a);
    const b = await device('Ben'); apps.push(b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const undo = forging(a, 'join_ok', '');
    await b.c('space.join', { invite: (await a.c('space.invite', { space_id: SPACE, role: 'adult' })).invite }).finally(undo);
    await waitFor('B to list the space', async () => (await b.c('space.list', {})).spaces.length > 0);
    // B's own name is its own; Ana's, as the roster gave it, is the placeholder
    expect(await views(b)).toEqual({ space: [NO_NAME, 'Ana'].sort(), listed: [NO_NAME, 'Ana'].sort(), members: [NO_NAME, 'Ana'].sort() });
    // a name a row holds already (stored by an earlier release): A's row for B emptied
    const ctx = a.app.ctx;
    const ben = b.app.ctx.keyring!.memberId;
    const n = sealText(ctx, 'member|' + ben, '');
    ctx.db.prepare('UPDATE members SET name_nonce = ?, name_ct = ? WHERE member_id = ?').run(n.nonce, n.ciphertext, ben);
    expect(await views(a)).toEqual({ space: [NO_NAME, 'Ana'].sort(), listed: [NO_NAME, 'Ana'].sort(), members: [NO_NAME, 'Ana'].sort() });
  });
});
