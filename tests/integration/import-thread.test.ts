import { afterAll, describe, expect, it } from 'vitest';
import { deviceClientId } from '../../core/crdt/doc-update';
import { freshUpdates } from '../../core/memories/fresh-updates';
import { importThreadReady, lastImportSplit, stopImportThread } from '../../core/memories/fresh-updates-thread';
import { dekFor, importMemories, loadRecord, type ImportedMemory } from '../../core/memories/memories';
import { metaDocId } from '../../core/memories/memory-doc';
import { openContent } from '../../core/memories/read-model';
import { decryptEpochEntry } from '../../core/spaces/epoch-keys';
import { columnsOf, impactOf } from '../../core/store/search-impact';
import { decryptEntry, docEntries } from '../../core/store/sync-log';
import { openTestApp } from '../helpers/app';
import { waitFor } from '../helpers/sync';

const SPACE = 'personal:me';
const BANDS = ['GREEN', 'AMBER'] as const;
const item = (tag: string, k: number) => ({
  type: 'semantic', band: BANDS[k % 2], title: `${tag} note ${k}`,
  body: `the ${tag} body of note ${k}: ${'walnut '.repeat(k % 7)}harbour ${k % 11 ? 'lantern' : 'quokka'}`,
  tags: [`t${k % 5}`], people: k % 4 ? [] : ['Rosa'], places: ['Lisbon'],
});
const items = (tag: string, n: number) => Array.from({ length: n }, (_, k) => item(tag, k));

type T = Awaited<ReturnType<typeof openTestApp>>;

/** The memory as stored, next to what this thread builds from its sealed metadata and content. */
function builtHereAndStored(t: T, id: string) {
  const ctx = t.app.ctx;
  const rec = loadRecord(ctx, id);
  const dek = dekFor(ctx, rec);
  const content = openContent(rec, dek)!;
  const here = freshUpdates(deviceClientId(ctx.keyring!.deviceId), { meta: rec.meta, content });
  const [metaEntry] = docEntries(ctx, 'sync_log', SPACE, metaDocId(id));
  const [contentEntry] = docEntries(ctx, 'sync_log', SPACE, id);
  const lead = ctx.db.prepare('SELECT l.terms AS terms, d.length AS length FROM search_docs d JOIN search_lead l ON l.rowid = d.id WHERE d.memory_id = ?').get(id) as { terms: string; length: number } | undefined;
  return { content, here, metaLogged: decryptEpochEntry(ctx, metaEntry!), contentLogged: decryptEntry(contentEntry!, dek), lead };
}

// A large memory.import builds its new memories' Yjs documents and search impact on a second
// thread while this one writes (core/memories/fresh-updates-thread.ts). What it builds must be
// byte for byte what this thread builds, a failed import's chunks must never reach the next one,
// and a worker that is gone must cost only speed.
describe('an import builds beside the writing thread', () => {
  const opened: T[] = [];
  afterAll(async () => { for (const t of opened) await t.close(); });

  it('builds on the worker what this thread builds: the log, the read model and the index agree', async () => {
    const t = await openTestApp();
    opened.push(t);
    // the first large import starts the worker and does not wait for it; the next ones use it
    await t.c('memory.import', { space_id: SPACE, memories: items('warm', 120) });
    await waitFor('the import thread to run', () => importThreadReady(), 20_000);
    const batch = items('built', 260);
    const r = await t.c('memory.import', { space_id: SPACE, memories: batch });
    expect(importThreadReady()).toBe(true);
    expect(r.imported).toBe(260);
    for (const [k, id] of (r.memory_ids as string[]).entries()) {
      const { content, here, metaLogged, contentLogged, lead } = builtHereAndStored(t, id);
      expect(content, `memory ${k}`).toMatchObject({ title: batch[k]!.title, body: batch[k]!.body, tags: batch[k]!.tags, people: batch[k]!.people, places: batch[k]!.places });
      expect(Buffer.from(metaLogged!).equals(Buffer.from(here.meta)), `metadata update of ${k}`).toBe(true);
      expect(Buffer.from(contentLogged!).equals(Buffer.from(here.content)), `content update of ${k}`).toBe(true);
      const impact = impactOf(columnsOf(content));
      if (impact.lead) expect(lead, `impact row of ${k}`).toEqual({ terms: impact.lead, length: impact.length });
    }
    // searchable at once, ranked as the index ranks (quokka: every 11th note of each batch)
    const hits = (await t.c('memory.search', { query: 'quokka', limit: 100 })).hits as { memory_id: string }[];
    expect(hits.length).toBe(Math.ceil(120 / 11) + Math.ceil(260 / 11));
    // an imported memory edits like any other
    const id = r.memory_ids[4];
    await t.c('memory.update', { memory_id: id, patch: { body: 'edited after import' } });
    expect((await t.c('memory.get', { memory_id: id })).memory.body).toBe('edited after import');
  });

  it('an import that fails part-way stores nothing, and its chunks never reach the next import', async () => {
    const t = await openTestApp();
    opened.push(t);
    await t.c('memory.import', { space_id: SPACE, memories: items('warm', 120) });
    await waitFor('the import thread to run', () => importThreadReady(), 20_000);
    const before = (await t.c('memory.list', { space_id: SPACE, limit: 1 })).total;
    // memory 230 names a recipient who is not a member (the API's schema would refuse it before
    // the core: called beneath it, the core's own check throws), with four chunks on the worker by then
    const bad = items('doomed', 300).map((m, k) => (k === 230 ? { ...m, band: 'RED', recipients: ['not-a-member'] } : m)) as ImportedMemory[];
    expect(() => importMemories(t.app.ctx, t.app.ctx.keyring!.memberId, SPACE, bad)).toThrow(/recipient/);
    expect((await t.c('memory.list', { space_id: SPACE, limit: 1 })).total).toBe(before);
    const good = items('kept', 300);
    const r = await t.c('memory.import', { space_id: SPACE, memories: good });
    for (const [k, id] of (r.memory_ids as string[]).entries()) {
      const { content, here, contentLogged } = builtHereAndStored(t, id);
      expect(content.title, `memory ${k}`).toBe(good[k]!.title);
      expect(Buffer.from(contentLogged!).equals(Buffer.from(here.content)), `content update of ${k}`).toBe(true);
    }
    expect((await t.c('memory.search', { query: 'doomed', limit: 10 })).hits).toEqual([]);
  });

  it('while the worker is busy this thread builds the last chunks itself: each chunk once, written in order', async () => {
    const t = await openTestApp();
    opened.push(t);
    await t.c('memory.import', { space_id: SPACE, memories: items('warm', 120) });
    await waitFor('the import thread to run', () => importThreadReady(), 20_000);
    // the first chunk is slow to build (long bodies: their words are counted for the index), so
    // this thread reaches it while the worker is still there, and builds from the back meanwhile
    const long = (k: number) => Array.from({ length: 4000 }, (_, w) => `word${(k * 7 + w) % 997}`).join(' ');
    const batch = items('shared', 400).map((m, k) => (k < 50 ? { ...m, body: `${m.body} ${long(k)}` } : m));
    const ids = importMemories(t.app.ctx, t.app.ctx.keyring!.memberId, SPACE, batch as ImportedMemory[]).memory_ids;
    const split = lastImportSplit();
    // (the worker usually builds most of the rest; that it builds at all is the first test's)
    expect(split.worker + split.here).toBe(8);
    expect(split.here).toBeGreaterThan(0);
    for (const [k, id] of ids.entries()) {
      const { content, here, metaLogged, contentLogged } = builtHereAndStored(t, id);
      expect(content.title, `memory ${k}`).toBe(batch[k]!.title);
      expect(content.body, `memory ${k}`).toBe(batch[k]!.body);
      expect(Buffer.from(metaLogged!).equals(Buffer.from(here.meta)), `metadata update of ${k}`).toBe(true);
      expect(Buffer.from(contentLogged!).equals(Buffer.from(here.content)), `content update of ${k}`).toBe(true);
    }
    // the log holds each memory once, in the order imported
    const seqs = ids.map((id) => (t.app.ctx.db.prepare("SELECT seq FROM sync_log WHERE doc_id = ?").get(id) as { seq: number }).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(400);
    // the worker's replies for the chunks built here are dropped, not handed to the next import
    const next = items('after', 300);
    const r = await t.c('memory.import', { space_id: SPACE, memories: next });
    for (const [k, id] of (r.memory_ids as string[]).entries()) expect(builtHereAndStored(t, id).content.title, `memory ${k}`).toBe(next[k]!.title);
    expect((await t.c('memory.search', { query: 'word996', limit: 100 })).hits.length).toBeGreaterThan(0);
  });

  it('without the worker an import still writes everything, built here', async () => {
    const t = await openTestApp();
    opened.push(t);
    stopImportThread();
    await waitFor('the import thread to stop', () => !importThreadReady(), 5_000);
    const batch = items('alone', 200);
    const r = await t.c('memory.import', { space_id: SPACE, memories: batch });
    expect(r.imported).toBe(200);
    for (const [k, id] of (r.memory_ids as string[]).entries()) {
      const { content, here, contentLogged } = builtHereAndStored(t, id);
      expect(content.title, `memory ${k}`).toBe(batch[k]!.title);
      expect(Buffer.from(contentLogged!).equals(Buffer.from(here.content))).toBe(true);
    }
  });
});
