import { afterAll, describe, expect, it } from 'vitest';
import { b64, newKey, seal } from '../../core/crypto/sodium';
import { deviceRow } from '../../core/members/devices';
import { epochKey, KEYRING_DOC, KEYRING_KEY_ID, startEpoch } from '../../core/spaces/epoch-keys';
import { removeMemberNow } from '../../core/spaces/membership';
import { writeSpaceDoc } from '../../core/spaces/space-doc';
import { spaceRow } from '../../core/spaces/spaces';
import { appendSigned, decryptEntry, type LogEntry } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { device, lacking, pausedFamily, type TestApp } from '../helpers/sync';

/**
 * Found by a hostile review (stop 31): of two keys of one epoch, the one whose origin device id
 * sorts lowest is the one every device writes under. A keyring entry with seals to single
 * devices (`device_seals`) and no member seals passed the check, and its `origin` was taken as
 * written: a member sealed a key of their own to another member's device under the origin
 * 000…0, and that device wrote the space's next memories under a key the member chose. A member
 * who is not an administrator now seals to devices only as strictly as to members (a new epoch,
 * a current member's device), only under their own device as origin; a keyring body of the wrong
 * shape is malformed, not an exception that rolls back the whole frame.
 */
const SPACE = 'shared:family';
const LOWEST = '0'.repeat(26);

describe('an epoch key chosen by a member who is not an administrator', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  async function family(): Promise<{ a: TestApp; b: TestApp; c: TestApp }> {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await pausedFamily(a, [b, c], SPACE);
    return { a, b, c };
  }

  /** Ana's family, Ben's device made first: its id sorts lowest of the three. */
  async function benFirst() {
    const b = await device('Ben'); apps.push(b);
    await new Promise((r) => setTimeout(r, 5));
    const [a, c] = [await device('Ana'), await device('Cy')];
    apps.push(a, c);
    expect(b.app.ctx.keyring!.deviceId < a.app.ctx.keyring!.deviceId).toBe(true);
    await pausedFamily(a, [b, c], SPACE);
    const [am, bm, cm] = [a, b, c].map((t) => t.app.ctx.keyring!.memberId);
    return { a, b, c, am, bm, cm };
  }

  it('is refused: seals to a device under another origin, now or for the next epoch; a body of the wrong shape is malformed', async () => {
    const { b, c } = await family();
    const ctx = b.app.ctx;
    const epoch = spaceRow(ctx, SPACE).epoch;
    const cDevice = c.app.ctx.keyring!.deviceId;
    const evil = newKey();
    const sealedToC = b64(seal(evil, new Uint8Array(deviceRow(ctx, cDevice)!.x25519_pub)));
    const before = Buffer.from(epochKey(c.app.ctx, SPACE, epoch));
    const offer = (body: unknown) => {
      ctx.uow.run(() => appendSigned(ctx, SPACE, KEYRING_DOC, KEYRING_KEY_ID, Buffer.from(JSON.stringify(body), 'utf8')));
      const res = receiveEntries(c.app.ctx, SPACE, lacking(b, c, SPACE));
      // a refused entry leaves a gap in its author's log: the next one is offered at the same seq
      ctx.uow.run(() => ctx.db.prepare("DELETE FROM sync_log WHERE space_id = ? AND doc_id = ? AND author_device = ?").run(SPACE, KEYRING_DOC, ctx.keyring!.deviceId));
      ctx.seqCache.clear();
      return res.refused.map((r) => r.reason);
    };
    expect(offer({ epoch, origin: LOWEST, device_seals: { [cDevice]: sealedToC } })).toEqual(['role_admin']);
    expect(offer({ epoch, device_seals: { [cDevice]: sealedToC } })).toEqual(['role_admin']);
    expect(offer({ epoch: epoch + 1, origin: LOWEST, seals: { [c.app.ctx.keyring!.memberId]: sealedToC } })).toEqual(['role_admin']);
    // (review of 5568495) an epoch past the next one: no chain back, and a rotation none could follow
    expect(offer({ epoch: epoch + 2, origin: ctx.keyring!.deviceId, seals: { [c.app.ctx.keyring!.memberId]: sealedToC } })).toEqual(['role_admin']);
    expect(offer({ epoch: epoch + 1, device_seals: { [cDevice]: 5 } })).toEqual(['malformed']);
    expect(offer({ epoch: epoch + 1, origin: 7, seals: {} })).toEqual(['malformed']);
    expect(offer({ epoch: epoch + 1, chain: 'x' })).toEqual(['malformed']);
    // C writes under the key it had
    expect(Buffer.from(epochKey(c.app.ctx, SPACE, epoch)).equals(before)).toBe(true);
  });

  it('a member\'s key for the next epoch is not the one the rotation that removes them writes under', async () => {
    // Ben's device is the oldest: its id sorts lowest, so a key it starts for an epoch would be everyone's
    const { a, b, c, am, bm, cm } = await benFirst();
    // Ben starts the next epoch (a member may: the revocation of one of their own devices), sealed to everyone
    const bctx = b.app.ctx;
    const next = spaceRow(bctx, SPACE).epoch + 1;
    const bens = bctx.uow.run(() => startEpoch(bctx, SPACE, next, [am!, bm!, cm!]));
    for (const t of [a, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(b, t, SPACE)).refused).toEqual([]);
    // Ana removes Ben: what she writes from then on is under a key Ben never held
    const actx = a.app.ctx;
    actx.uow.run(() => removeMemberNow(actx, am!, SPACE, bm!));
    const epoch = spaceRow(actx, SPACE).epoch;
    expect(epoch).toBeGreaterThan(next);
    expect(Buffer.from(epochKey(actx, SPACE, epoch)).equals(Buffer.from(bens))).toBe(false);
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect(Buffer.from(epochKey(c.app.ctx, SPACE, spaceRow(c.app.ctx, SPACE).epoch)).equals(Buffer.from(epochKey(actx, SPACE, epoch)))).toBe(true);
    const id = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after Ben left', body: 'x' })).memory.memory_id;
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect((await c.c('memory.get', { memory_id: id })).memory.title).toBe('after Ben left');
  });

  it('a member\'s next epoch sealed to all but the administrator is not what the others write under once the administrator removes them', async () => {
    // (noticed at stop 31) Ben's device sorts lowest and his key for the next epoch is sealed to
    // everyone but Ana: her rotation cannot skip an epoch she holds no key of, so two keys of it
    // exist, and by the lowest origin alone Cy would go on writing under the one Ben chose
    const { a, b, c, am, bm, cm } = await benFirst();
    const bctx = b.app.ctx;
    const next = spaceRow(bctx, SPACE).epoch + 1;
    const bens = Buffer.from(bctx.uow.run(() => startEpoch(bctx, SPACE, next, [bm!, cm!])));
    for (const t of [a, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(b, t, SPACE)).refused).toEqual([]);
    const actx = a.app.ctx;
    actx.uow.run(() => removeMemberNow(actx, am!, SPACE, bm!));
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    const cctx = c.app.ctx;
    const epoch = spaceRow(cctx, SPACE).epoch;
    expect(epoch).toBe(spaceRow(actx, SPACE).epoch);
    // Cy writes under Ana's key, as Ana does, and a memory Cy writes does not open under Ben's
    expect(Buffer.from(epochKey(cctx, SPACE, epoch)).equals(Buffer.from(epochKey(actx, SPACE, epoch)))).toBe(true);
    expect(Buffer.from(epochKey(cctx, SPACE, epoch)).equals(bens)).toBe(false);
    const id = (await c.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after Ben left', body: 'x' })).memory.memory_id;
    const row = cctx.db.prepare("SELECT * FROM sync_log WHERE space_id = ? AND doc_id = ? AND author_device = ?").get(SPACE, id + '.meta', cctx.keyring!.deviceId) as LogEntry | undefined;
    expect(row?.key_id).toBe(`epoch:${SPACE}:${epoch}`);
    expect(decryptEntry(row!, new Uint8Array(bens))).toBeNull();
    expect(receiveEntries(actx, SPACE, lacking(c, a, SPACE)).refused).toEqual([]);
    expect((await a.c('memory.get', { memory_id: id })).memory.title).toBe('after Ben left');
  });

  it('a member\'s next epoch sealed to others only does not stop the administrator\'s rotation', async () => {
    const { a, b, c } = await family();
    const bctx = b.app.ctx;
    const next = spaceRow(bctx, SPACE).epoch + 1;
    const [am, bm, cm] = [a, b, c].map((t) => t.app.ctx.keyring!.memberId);
    bctx.uow.run(() => startEpoch(bctx, SPACE, next, [bm!, cm!]));
    for (const t of [a, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(b, t, SPACE)).refused).toEqual([]);
    const actx = a.app.ctx;
    actx.uow.run(() => removeMemberNow(actx, am!, SPACE, bm!));
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    const id = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'still rotating', body: 'x' })).memory.memory_id;
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect((await c.c('memory.get', { memory_id: id })).memory.title).toBe('still rotating');
  });
  it('a member\'s next epoch sealed to every member is one the others move to', async () => {
    const { a, b, c } = await family();
    const [am, bm, cm] = [a, b, c].map((t) => t.app.ctx.keyring!.memberId);
    const bctx = b.app.ctx;
    const next = spaceRow(bctx, SPACE).epoch + 1;
    // as an honest rotation after revoking one of his own devices does it
    bctx.uow.run(() => { startEpoch(bctx, SPACE, next, [am!, bm!, cm!]); writeSpaceDoc(bctx, SPACE, next, (info) => info.set('epoch', next)); });
    for (const t of [a, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(b, t, SPACE)).refused).toEqual([]);
    expect(spaceRow(a.app.ctx, SPACE).epoch).toBe(next);
    expect(spaceRow(c.app.ctx, SPACE).epoch).toBe(next);
  });
});
