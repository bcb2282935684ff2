import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openFilesDoc, readFiles } from '../../core/attachments/files-doc';
import { sign } from '../../core/crypto/sodium';
import { heldMetaOf, materialiseMemory } from '../../core/memories/materialise';
import { findRecord, openContentDoc, openMetaDoc, saveRecord } from '../../core/memories/read-model';
import { rebuildReadModel } from '../../core/memories/rebuild';
import { unwrapDek, type DekWrap } from '../../core/memories/memory-keys';
import { ulid } from '../../core/shared/ulid';
import { sealEntry } from '../../core/store/entry-seal';
import { appendUpdate, entryFromJson, entrySigningBytes, entryToJson, insertReceived, type EntryJson } from '../../core/store/sync-log';
import { decryptEpochEntry, epochKey, epochOfKeyId } from '../../core/spaces/epoch-keys';
import { receiveEntries } from '../../core/sync/receive';
import { prepareAhead, warmReceiveThread } from '../../core/sync/receive-prep-thread';
import { device, lacking, pausedFamily, vectorOf, waitFor, type TestApp } from '../helpers/sync';
import { PASS } from '../helpers/app';

/**
 * A member's device signs whatever it writes, and a Yjs document takes any JSON value in any
 * field. Found in the review of the receive thread (stop 30): a content entry whose tag was a
 * number made `memory.list` break its response contract on every device of the space, so one
 * member could take the list down for everyone. Metadata a release never writes (a type the
 * contracts do not know, a creation time that is no time) is refused at receive; content of the
 * wrong type is left out of what is shown; the rest of the space lists, gets and searches as ever.
 */
const SPACE = 'shared:family';

/** Entry `i` of `raw` with its update replaced, sealed under `key` and signed by its author (a member writing what the app would not). */
function rewrite(author: TestApp, raw: EntryJson[], i: number, key: Uint8Array, update: Uint8Array): void {
  const old = raw[i]!;
  const s = sealEntry(SPACE, old.doc_id, old.key_id, key, update);
  const header = { space_id: SPACE, doc_id: old.doc_id, author_device: old.author_device, seq: old.seq, key_id: old.key_id, nonce: s.nonce, ciphertext: s.ciphertext };
  raw[i] = entryToJson({ ...header, signature: sign(entrySigningBytes(header, s.ciphertext_sha256), author.app.ctx.keyring!.deviceSign.privateKey) });
}

function rewriteContent(author: TestApp, raw: EntryJson[], id: string, build: (d: Y.Doc) => void): void {
  const ctx = author.app.ctx;
  const dek = unwrapDek(ctx, SPACE, id, heldMetaOf(ctx, SPACE, id).meta!.dek as DekWrap)!;
  const d = new Y.Doc();
  build(d);
  rewrite(author, raw, raw.findIndex((e) => e.doc_id === id), dek, Y.encodeStateAsUpdate(d));
}

/** The memory's metadata as its author wrote it, with `change` made on top, as one update. */
function rewriteMeta(author: TestApp, raw: EntryJson[], id: string, change: (m: Y.Map<unknown>) => void): void {
  const ctx = author.app.ctx;
  const i = raw.findIndex((e) => e.doc_id === `${id}.meta`);
  const d = new Y.Doc();
  Y.applyUpdate(d, decryptEpochEntry(ctx, entryFromJson(raw[i]!))!);
  change(d.getMap('meta'));
  rewrite(author, raw, i, epochKey(ctx, SPACE, epochOfKeyId(raw[i]!.key_id)!), Y.encodeStateAsUpdate(d));
}

describe('what another member writes into a memory cannot break the space for everyone', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const a of apps) await a.close(); });

  async function family(): Promise<{ a: TestApp; b: TestApp; c: TestApp; ids: string[] }> {
    const [a, b, c] = [await device('Ana'), await device('Ben'), await device('Cy')];
    apps.push(a, b, c);
    await pausedFamily(a, [b, c], SPACE);
    const { memory_ids: ids } = await a.c('memory.import', {
      space_id: SPACE,
      memories: Array.from({ length: 40 }, (_, i) => ({ type: 'semantic', band: i % 2 ? 'AMBER' : 'GREEN', title: `Note ${i}`, body: `plain body ${i} pelican`, tags: ['family'], people: ['Oma'], places: [] })),
    });
    return { a, b, c, ids };
  }

  it('content of the wrong type is left out of what every reader is shown; the space still lists, gets and searches', async () => {
    const { a, b, c, ids } = await family();
    const raw = lacking(a, b, SPACE);
    rewriteContent(a, raw, ids[1]!, (d) => {
      d.getText('title').insert(0, 'Odd values');
      d.getText('body').insert(0, 'kept pelican');
      d.getArray('tags').push([7, 'kept-tag', { x: 1 }, null, ['nested']]);
      d.getArray('people').push([{ name: 'Oma' }, 'Opa']);
      d.getArray('places').push([true]);
      d.getMap('fields').set('occurred_at', 'last tuesday');
      d.getMap('fields').set('updated_at', 1e300);
    });
    rewriteContent(a, raw, ids[2]!, (d) => {
      d.getText('title').insert(0, 'Far dates');
      d.getMap('fields').set('occurred_at', 42);
      d.getMap('fields').set('updated_at', '2024-01-01');
    });
    // b through the receive thread, c without it: the same outcome
    warmReceiveThread();
    const use = await (await waitFor('the receive thread', () => prepareAhead(b.app.ctx, SPACE, raw)));
    expect(use).not.toBeNull();
    for (const [t, pre] of [[b, use ?? undefined], [c, undefined]] as const) {
      const res = receiveEntries(t.app.ctx, SPACE, raw, pre);
      expect(res.refused).toEqual([]);
      const listed = (await t.c('memory.list', { space_id: SPACE, limit: 100 })).memories;
      expect(listed).toHaveLength(40);
      const odd = (await t.c('memory.get', { memory_id: ids[1] })).memory;
      expect(odd).toMatchObject({ title: 'Odd values', body: 'kept pelican', tags: ['kept-tag'], people: ['Opa'], places: [], occurred_at: null });
      expect(Date.parse(odd.updated_at)).toBeGreaterThan(0);
      const far = (await t.c('memory.get', { memory_id: ids[2] })).memory;
      expect(far).toMatchObject({ title: 'Far dates', occurred_at: null });
      const found = async (query: string) => (await t.c('memory.search', { query, space_id: SPACE })).hits.map((h: { memory_id: string }) => h.memory_id);
      expect(await found('kept pelican')).toEqual([ids[1]]);
      expect(await found('opa')).toEqual([ids[1]]);
      expect(await found('far dates')).toEqual([ids[2]]);
      expect(await found('note 5')).toContain(ids[5]);
      expect((await t.c('space.get', { space_id: SPACE })).space).toBeTruthy();
    }
  });

  it('a metadata key `__proto__` is read the same on every device, with the receive thread and without', async () => {
    const { a, b, c, ids } = await family();
    const raw = lacking(a, b, SPACE);
    // the band only where an assignment of `__proto__` would put it: on the object's prototype
    rewriteMeta(a, raw, ids[39]!, (m) => { m.delete('band'); m.set('__proto__', { band: 'GREEN' }); });
    warmReceiveThread();
    const use = await (await waitFor('the receive thread', () => prepareAhead(b.app.ctx, SPACE, raw)));
    expect(use).not.toBeNull();
    const withThread = receiveEntries(b.app.ctx, SPACE, raw, use ?? undefined);
    const without = receiveEntries(c.app.ctx, SPACE, raw);
    expect(withThread.refused).toEqual(without.refused);
    expect(without.refused.map((r) => [r.doc_id, r.reason])).toEqual([[`${ids[39]}.meta`, 'malformed'], [ids[39], 'gap']]);
    expect(vectorOf(b, SPACE)).toEqual(vectorOf(c, SPACE));
  });

  it('a key wrap no release writes, in a change of another member\'s memory, is refused at receive; one stored anyway leaves only that memory unreadable, after a lock too', async () => {
    const { a, b, c, ids } = await family();
    for (const t of [b, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(a, t, SPACE)).refused).toEqual([]);
    const target = ids[0]!; // GREEN, Ana's
    const ana = a.app.ctx.keyring!.memberId;
    const wrap = heldMetaOf(c.app.ctx, SPACE, target).meta!.dek as { mode: 'epoch'; epoch: number; nonce: string; ct: string };
    /** Cy's change of the metadata as every device holds it now: `bend` on top, as one update. */
    const base = Y.encodeStateAsUpdate(heldMetaOf(c.app.ctx, SPACE, target).doc);
    const change = (bend: (m: Y.Map<unknown>) => void): Uint8Array => {
      const d = new Y.Doc();
      Y.applyUpdate(d, base);
      const sv = Y.encodeStateVector(d);
      bend(d.getMap('meta'));
      return Y.encodeStateAsUpdate(d, sv);
    };
    const cctx = c.app.ctx;
    const keyId = `epoch:${SPACE}:${wrap.epoch}`;
    const key = epochKey(cctx, SPACE, wrap.epoch);
    cctx.uow.run(() => appendUpdate(cctx, 'sync_log', SPACE, `${target}.meta`, keyId, key, change((m) => m.set('dek', { ...wrap, nonce: 5 }))));
    const raw = lacking(c, b, SPACE);
    expect(raw.map((e) => e.doc_id)).toEqual([`${target}.meta`]);
    const bends: unknown[] = [
      { ...wrap, nonce: 5 }, { ...wrap, epoch: '1' }, { ...wrap, epoch: 0 }, { mode: 'epoch', epoch: 1, nonce: wrap.nonce }, { ...wrap, ct: 'not base64!' },
      { mode: 'sealed', seals: { [ana]: 5 } }, { mode: 'sealed', seals: [] }, { mode: 'sealed', seals: { [ana]: wrap.ct }, device_seals: { 'not-a-device': wrap.ct } },
      { mode: 'device', device_id: 5, nonce: wrap.nonce, ct: wrap.ct }, { mode: 'other', nonce: wrap.nonce, ct: wrap.ct }, 'a wrap', null,
    ];
    for (const bent of bends) {
      rewrite(c, raw, 0, key, change((m) => m.set('dek', bent)));
      for (const t of [a, b]) expect(receiveEntries(t.app.ctx, SPACE, raw).refused.map((r) => [r.doc_id, r.reason]), JSON.stringify(bent)).toEqual([[`${target}.meta`, 'malformed']]);
    }
    rewrite(c, raw, 0, key, change((m) => m.delete('dek')));
    expect(receiveEntries(b.app.ctx, SPACE, raw).refused.map((r) => r.reason)).toEqual(['malformed']);

    // such a change already in a log (stored before this check) is kept out of the read model; a row an
    // earlier release saved with such a wrap opens nothing; after a lock (no cached key) the space lists as ever
    rewrite(c, raw, 0, key, change((m) => m.set('dek', { ...wrap, nonce: 5 })));
    const ctx = b.app.ctx;
    ctx.uow.run(() => insertReceived(ctx, entryFromJson(raw[0]!)));
    expect(ctx.uow.run(() => materialiseMemory(ctx, SPACE, target))).toBe('empty');
    const saved = ids[2]!;
    const rec = findRecord(ctx, saved)!;
    const dek = unwrapDek(ctx, SPACE, saved, rec.meta.dek as DekWrap)!;
    ctx.uow.run(() => saveRecord(ctx, saved, SPACE, { ...rec.meta, dek: { ...(rec.meta.dek as object), nonce: 5 } }, openMetaDoc(ctx, rec), openContentDoc(ctx, rec, dek), dek, rec.version));
    await b.c('vault.lock');
    await b.c('vault.unlock', { passphrase: PASS });
    const listed = (await b.c('memory.list', { space_id: SPACE, limit: 100 })).memories;
    expect(listed.map((m: { memory_id: string }) => m.memory_id)).not.toContain(target);
    expect(listed).toHaveLength(39);
    expect((await b.c('memory.list', {})).memories.length).toBeGreaterThanOrEqual(39);
    await expect(b.c('memory.get', { memory_id: saved })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(b.c('memory.get', { memory_id: target })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await b.c('memory.get', { memory_id: ids[4] })).memory.title).toBe('Note 4');
  });

  it('a file another member records on a memory that no view can show is left out; the memory lists its other files', async () => {
    const { a, b, c, ids } = await family();
    const id = ids[3]!; // AMBER, Ana's
    for (const name of ['a.txt', 'b.txt']) await a.c('attachment.add', { memory_id: id, data_base64: Buffer.from(`notes ${name}`).toString('base64'), name, mime: 'text/plain' });
    for (const t of [b, c]) expect(receiveEntries(t.app.ctx, SPACE, lacking(a, t, SPACE)).refused).toEqual([]);
    // Cy's device writes into the memory's files document (sealed under its key, like content) what no release writes
    const cctx = c.app.ctx;
    const dek = unwrapDek(cctx, SPACE, id, heldMetaOf(cctx, SPACE, id).meta!.dek as DekWrap)!;
    const doc = openFilesDoc(cctx, 'sync_log', SPACE, id, dek);
    const good = [...readFiles(doc).values()][0]!;
    const sv = Y.encodeStateVector(doc);
    const forged: Record<string, unknown>[] = [
      { created_at: 9e15 }, { created_at: -1e300 }, { name: 'x'.repeat(300) }, { name: '' }, { name: 'a/b' }, { name: 5 },
      { mime: 'not a type' }, { mime: 5 }, { mime: 'x'.repeat(300) + '/plain' }, { sha256: [good.sha256] },
      { name: 'from-cy.txt', created_at: good.created_at + 1 }, // the one a release could have written
    ];
    doc.transact(() => {
      const m = doc.getMap<string>('files');
      for (const f of forged) { const attachment_id = ulid(Date.now()); m.set(attachment_id, JSON.stringify({ ...good, attachment_id, blob_id: ulid(Date.now()), ...f })); }
      m.set(ulid(Date.now()), 'null');
    });
    cctx.uow.run(() => appendUpdate(cctx, 'sync_log', SPACE, `${id}.files`, `dek:${id}`, dek, Y.encodeStateAsUpdate(doc, sv)));
    for (const t of [a, b]) {
      expect(receiveEntries(t.app.ctx, SPACE, lacking(c, t, SPACE)).refused).toEqual([]);
      const listed = (await t.c('attachment.list', { memory_id: id })).attachments;
      expect(listed.map((f: { name: string }) => f.name).sort()).toEqual(['a.txt', 'b.txt', 'from-cy.txt']);
      expect((await t.c('memory.get', { memory_id: id })).memory.title).toBe('Note 3');
    }
  });

  it('metadata no release writes is refused at receive, by every member alike, and the rest of the space arrives', async () => {
    const { a, b, c, ids } = await family();
    const last = ids[39]!;
    const bends: ((m: Y.Map<unknown>) => void)[] = [
      (m) => m.set('type', 'diary'),
      (m) => m.set('created_at', 'yesterday'),
      (m) => m.set('created_at', 1e300),
      (m) => m.set('recipients', [5]),
      (m) => m.set('copied_from', { memory_id: ids[0], space_id: 'Family!', copied_at: 1 }),
    ];
    // each bend of the last memory's metadata offered in turn: refused (its author's later entry then waits: a gap), everything before it stored
    for (const bend of bends) {
      const raw = lacking(a, b, SPACE);
      rewriteMeta(a, raw, last, bend);
      for (const t of [b, c]) {
        const res = receiveEntries(t.app.ctx, SPACE, raw);
        expect(res.refused.map((r) => [r.doc_id, r.reason])).toEqual([[`${last}.meta`, 'malformed'], [last, 'gap']]);
        const listed = (await t.c('memory.list', { space_id: SPACE, limit: 100 })).memories.map((m: { memory_id: string }) => m.memory_id);
        expect(listed).toHaveLength(39);
        expect(listed).not.toContain(last);
        expect((await t.c('memory.get', { memory_id: ids[7] })).memory.title).toBe('Note 7');
      }
    }
    // the entry as its author's app wrote it arrives after them
    const raw = lacking(a, b, SPACE);
    for (const t of [b, c]) {
      expect(receiveEntries(t.app.ctx, SPACE, raw).refused).toEqual([]);
      expect((await t.c('memory.list', { space_id: SPACE, limit: 100 })).memories).toHaveLength(40);
    }
    // such a state already in a log (stored before the key that would have refused it arrived) is kept out of the read model, and out of a rebuild
    await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'stored unchecked', body: 'x' });
    const more = lacking(a, b, SPACE);
    const id = more.find((e) => e.doc_id.endsWith('.meta'))!.doc_id.slice(0, -5);
    rewriteMeta(a, more, id, (m) => m.set('type', 'diary'));
    const ctx = b.app.ctx;
    ctx.uow.run(() => { for (const e of more) insertReceived(ctx, entryFromJson(e)); });
    expect(ctx.uow.run(() => materialiseMemory(ctx, SPACE, id))).toBe('empty');
    expect((await b.c('memory.list', { space_id: SPACE, limit: 100 })).memories).toHaveLength(40);
    expect(ctx.uow.run(() => rebuildReadModel(ctx))).toBe(40);
    expect((await b.c('memory.list', { space_id: SPACE, limit: 100 })).memories).toHaveLength(40);
  });
});
