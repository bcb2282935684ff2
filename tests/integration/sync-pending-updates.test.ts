import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deviceClientId } from '../../core/crdt/doc-update';
import { metaDocId } from '../../core/memories/memory-doc';
import { heldMetaOf } from '../../core/memories/materialise';
import { epochKey, epochKeyId } from '../../core/spaces/epoch-keys';
import { readSpaceDoc, SPACE_DOC, writeSpaceDoc } from '../../core/spaces/space-doc';
import { roleOf, spaceRow } from '../../core/spaces/spaces';
import { appendUpdate } from '../../core/store/sync-log';
import { receiveEntries } from '../../core/sync/receive';
import { device, lacking, pausedFamily, vectorOf, type TestApp } from '../helpers/sync';

/**
 * Found by a hostile review (stop 31): Yjs keeps aside the structs of an update that build on
 * clocks it has not seen, and applies them when those arrive. A check that compares a document
 * before and after an update saw nothing of them. Anyone can compute another device's client id,
 * so a member wrote, under the administrator's client id one clock past its last, "this member is
 * a guardian": stored as harmless, it took effect at the administrator's next write to the space
 * document, which no one checks (an administrator's). The same on a memory's metadata. An update
 * that leaves anything pending is now refused as unverifiable.
 */
const SPACE = 'shared:family';

/**
 * What `change` adds to a document of `state`, written as `client` at one clock past its last
 * (the struct at its last clock is left out, so this one waits on it), with no deletions.
 */
function aheadOf(state: Uint8Array, client: number, change: (d: Y.Doc) => void): Uint8Array {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  d.clientID = client;
  const from = Y.getState(d.store, client);
  d.getMap('zz-filler').set('x', 1); // takes the clock `from`
  change(d); // from + 1 on
  const sv = new Map(Y.decodeStateVector(Y.encodeStateVector(d)));
  sv.set(client, from + 1);
  const update = Y.encodeStateAsUpdate(d, Y.encodeStateVector(sv));
  // the delete set is the update's tail: the same as in an update of no structs
  const ds = Y.encodeStateAsUpdate(d, Y.encodeStateVector(d)).subarray(1);
  return Uint8Array.from([...update.subarray(0, update.length - ds.length), 0]);
}

describe('an update that builds on what is not here yet is refused, not held for later', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  async function family(): Promise<{ a: TestApp; b: TestApp; c: TestApp }> {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await pausedFamily(a, [b, c], SPACE);
    return { a, b, c };
  }

  it('an adult cannot make themself a guardian through the administrator\'s next write to the space document', async () => {
    const { a, b, c } = await family();
    const ben = b.app.ctx.keyring!.memberId;
    const ctx = b.app.ctx;
    const epoch = spaceRow(ctx, SPACE).epoch;
    const forged = aheadOf(Y.encodeStateAsUpdate(readSpaceDoc(ctx, SPACE)), deviceClientId(a.app.ctx.keyring!.deviceId), (d) => d.getMap('members').set(ben, 'guardian'));
    ctx.uow.run(() => appendUpdate(ctx, 'sync_log', SPACE, SPACE_DOC, epochKeyId(SPACE, epoch), epochKey(ctx, SPACE, epoch), forged));
    const res = receiveEntries(c.app.ctx, SPACE, lacking(b, c, SPACE));
    expect(res.refused.map((r) => [r.doc_id, r.reason])).toEqual([[SPACE_DOC, 'unverifiable']]);
    // the administrator's next write to the space document
    await a.c('space.rename', { space_id: SPACE, name: 'The Family' });
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect(roleOf(c.app.ctx, SPACE, ben)).toBe('adult');
    expect((await c.c('space.get', { space_id: SPACE })).space.name).toBe('The Family');
  });

  it('nor change a memory\'s metadata through its author\'s next write to it', async () => {
    const { a, b, c } = await family();
    const id = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'Wifi', body: 'garden' })).memory.memory_id;
    for (const t of [b, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(a, t, SPACE)).refused).toEqual([]);
    const ctx = b.app.ctx;
    const epoch = spaceRow(ctx, SPACE).epoch;
    const state = Y.encodeStateAsUpdate(heldMetaOf(ctx, SPACE, id).doc);
    const forged = aheadOf(state, deviceClientId(a.app.ctx.keyring!.deviceId), (d) => d.getMap('meta').set('type', 'diary'));
    ctx.uow.run(() => appendUpdate(ctx, 'sync_log', SPACE, metaDocId(id), epochKeyId(SPACE, epoch), epochKey(ctx, SPACE, epoch), forged));
    const res = receiveEntries(c.app.ctx, SPACE, lacking(b, c, SPACE));
    expect(res.refused.map((r) => [r.doc_id, r.reason])).toEqual([[metaDocId(id), 'unverifiable']]);
    // the author's next change of the metadata (into the trash) arrives and applies as written
    await a.c('memory.delete', { memory_id: id });
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    expect(vectorOf(c, SPACE)[a.app.ctx.keyring!.deviceId]).toBe(vectorOf(a, SPACE)[a.app.ctx.keyring!.deviceId]);
    expect((await c.c('memory.list', { space_id: SPACE, trash: true })).memories.map((m: { memory_id: string }) => m.memory_id)).toContain(id);
  });

  it('a document already holding something aside does not make every later update refused (review of 564b5b6)', async () => {
    const { a, b, c } = await family();
    const actx = a.app.ctx;
    const epoch = spaceRow(actx, SPACE).epoch;
    // an administrator's entry is not checked: one that leaves a struct aside is stored (an older release stored any)
    const aside = aheadOf(Y.encodeStateAsUpdate(readSpaceDoc(actx, SPACE)), deviceClientId(c.app.ctx.keyring!.deviceId), (d) => d.getMap('zz').set('y', 2));
    actx.uow.run(() => appendUpdate(actx, 'sync_log', SPACE, SPACE_DOC, epochKeyId(SPACE, epoch), epochKey(actx, SPACE, epoch), aside));
    expect(receiveEntries(c.app.ctx, SPACE, lacking(a, c, SPACE)).refused).toEqual([]);
    // a member re-registers their own device, as the app does: it adds nothing aside
    const bctx = b.app.ctx;
    const bdev = bctx.keyring!.deviceId;
    bctx.uow.run(() => writeSpaceDoc(bctx, SPACE, epoch, (_info, _members, doc) => doc.getMap('devices').set(bdev, { ...(doc.getMap('devices').get(bdev) as object) })));
    expect(receiveEntries(c.app.ctx, SPACE, lacking(b, c, SPACE)).refused).toEqual([]);
  });
});
