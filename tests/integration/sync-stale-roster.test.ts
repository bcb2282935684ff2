import { afterAll, describe, expect, it } from 'vitest';
import { b64, newKey, seal } from '../../core/crypto/sodium';
import { change } from '../../core/crdt/doc-update';
import { memberBoxPublicKey } from '../../core/members/members';
import { appendKeyring, epochKey, epochKeyId } from '../../core/spaces/epoch-keys';
import { removeMemberNow } from '../../core/spaces/membership';
import { applyRoster, buildRoster } from '../../core/spaces/roster';
import { readSpaceDoc, SPACE_DOC } from '../../core/spaces/space-doc';
import { roleOf, spaceRow } from '../../core/spaces/spaces';
import { appendUpdate, decryptEntry, type LogEntry } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { device, lacking, pausedFamily, type TestApp } from '../helpers/sync';

/**
 * Found by a review at stop 32: a roster (what an own device's hello carries, for spaces the log
 * has not brought yet) is a snapshot of when it was sent. Cy's second device, offline through
 * Ben's removal, still listed Ben, and applying it added him back "as absent": Cy's device took
 * his entries again, including an epoch he started sealed to Cy alone, and wrote Cy's next memory
 * under Ben's key. A roster now applies only to a space this device does not hold yet.
 */
const SPACE = 'shared:family';

describe('a roster older than the space document it reaches', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('does not bring a removed member back, nor let them choose the key the others write under', async () => {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await pausedFamily(a, [b, c], SPACE);
    const [am, bm, cm] = [a, b, c].map((t) => t.app.ctx.keyring!.memberId);
    const [actx, bctx, cctx] = [a, b, c].map((t) => t.app.ctx);
    // what Cy's offline second device will say in its hello
    const stale = buildRoster(cctx, SPACE);
    actx.uow.run(() => removeMemberNow(actx, am!, SPACE, bm!));
    expect(receiveEntries(cctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect(roleOf(cctx, SPACE, bm!)).toBeNull();
    const removalEpoch = spaceRow(cctx, SPACE).epoch;
    cctx.uow.run(() => applyRoster(cctx, [stale], 'cy-second-device'));
    expect(roleOf(cctx, SPACE, bm!)).toBeNull();
    // Ben's modified device: the next epoch sealed to Cy alone, and the space document moved to it
    const next = removalEpoch + 1;
    const bens = newKey();
    bctx.uow.run(() => {
      appendKeyring(bctx, SPACE, { epoch: next, origin: bctx.keyring!.deviceId, seals: { [cm!]: b64(seal(bens, memberBoxPublicKey(bctx, cm!))) } });
      const doc = readSpaceDoc(bctx, SPACE);
      doc.clientID = 0x7fffffff;
      appendUpdate(bctx, 'sync_log', SPACE, SPACE_DOC, epochKeyId(SPACE, next), bens, change(doc, () => doc.getMap('space').set('epoch', next))!);
    });
    expect(receiveEntries(cctx, SPACE, lacking(b, c, SPACE)).refused.map((r) => r.reason)).toContain('not_member');
    expect(spaceRow(cctx, SPACE).epoch).toBe(removalEpoch);
    const id = (await c.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'after Ben left', body: 'x' })).memory.memory_id;
    const row = cctx.db.prepare('SELECT * FROM sync_log WHERE space_id = ? AND doc_id = ? AND author_device = ?').get(SPACE, id + '.meta', cctx.keyring!.deviceId) as LogEntry;
    expect(decryptEntry(row, bens)).toBeNull();
    expect(Buffer.from(epochKey(cctx, SPACE, spaceRow(cctx, SPACE).epoch)).equals(Buffer.from(bens))).toBe(false);
    expect(receiveEntries(actx, SPACE, lacking(c, a, SPACE)).refused).toEqual([]);
    expect((await a.c('memory.get', { memory_id: id })).memory.title).toBe('after Ben left');
  });
});
