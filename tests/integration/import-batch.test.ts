import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../contracts/types';
import { dekFor, loadRecord } from '../../core/memories/memories';
import { metaDocId } from '../../core/memories/memory-doc';
import { openContentDoc, openMetaDoc } from '../../core/memories/read-model';
import { decryptEpochEntry } from '../../core/spaces/epoch-keys';
import { decryptEntry, docEntries } from '../../core/store/sync-log';
import { openTestApp } from '../helpers/app';

const memory = (k: number, band: 'GREEN' | 'AMBER') => ({ type: 'semantic', band, title: `item ${k}`, body: `body ${k}` });

// memory.import announces a batch once per band (MEMORIES_IMPORTED), not one signed event per memory;
// what listened to HIPPO_ENCODE (live lists, the audit view) still learns every id, and the audit chain
// still holds an AMBER import.
describe('a bulk import announces its batch', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => { for (const t of opened) await t.close(); });

  it('one MEMORIES_IMPORTED per band with every id, no HIPPO_ENCODE per memory, the AMBER one audited', async () => {
    const t = await openTestApp();
    opened.push(t);
    const seen: Envelope[] = [];
    t.app.subscribe('*', (e) => seen.push(e));
    const items = Array.from({ length: 30 }, (_, k) => memory(k, k % 3 === 0 ? 'AMBER' : 'GREEN'));
    const r = await t.c('memory.import', { space_id: 'personal:me', memories: items });
    expect(r.imported).toBe(30);
    const topic = (e: Envelope) => e.topic.split('@')[0];
    expect(seen.filter((e) => topic(e) === 'HIPPO_ENCODE')).toEqual([]);
    const batches = seen.filter((e) => topic(e) === 'MEMORIES_IMPORTED');
    expect(batches.map((e) => e.band).sort()).toEqual(['AMBER', 'GREEN']);
    const byBand = Object.fromEntries(batches.map((e) => [e.band, e.payload as { count: number; memory_ids: string[] }]));
    expect(byBand.AMBER!.memory_ids).toEqual(r.memory_ids.filter((_: string, k: number) => k % 3 === 0));
    expect(byBand.GREEN!.memory_ids).toEqual(r.memory_ids.filter((_: string, k: number) => k % 3 !== 0));
    expect(byBand.AMBER!.count).toBe(10);
    // AMBER carries AUDIT_ACCESS: the batch is one link of the audit chain, and the chain verifies
    expect(batches.find((e) => e.band === 'AMBER')!.obligations).toContain('AUDIT_ACCESS');
    const audit = (await t.c('audit.list', { limit: 500 })).entries as { topic: string; event_id: string }[];
    expect(audit.filter((e) => e.topic.startsWith('MEMORIES_IMPORTED@')).map((e) => e.event_id)).toEqual([batches.find((e) => e.band === 'AMBER')!.id]);
    expect((await t.c('audit.verify', {})).valid).toBe(true);
    // memory.create still announces its one memory
    await t.c('memory.create', { space_id: 'personal:me', ...memory(99, 'GREEN') });
    expect(seen.filter((e) => topic(e) === 'HIPPO_ENCODE')).toHaveLength(1);
  });

  // a new memory's read model stores each document's one update as its state (not encoded again):
  // it must be the state the log builds, and an edit on top of it must work
  it('the stored document states equal what the log builds, and an imported memory edits', async () => {
    const t = await openTestApp();
    opened.push(t);
    const ctx = t.app.ctx;
    const r = await t.c('memory.import', { space_id: 'personal:me', memories: Array.from({ length: 5 }, (_, k) => memory(k, k ? 'GREEN' : 'AMBER')) });
    for (const id of r.memory_ids as string[]) {
      const rec = loadRecord(ctx, id);
      const dek = dekFor(ctx, rec);
      const fromLog = (doc: string, open: (e: any) => Uint8Array | null) => { const d = new Y.Doc(); for (const e of docEntries(ctx, 'sync_log', 'personal:me', doc)) Y.applyUpdate(d, open(e)!); return Y.encodeStateAsUpdate(d); };
      expect(Buffer.from(Y.encodeStateAsUpdate(openContentDoc(ctx, rec, dek)))).toEqual(Buffer.from(fromLog(id, (e) => decryptEntry(e, dek))));
      expect(Buffer.from(Y.encodeStateAsUpdate(openMetaDoc(ctx, rec)))).toEqual(Buffer.from(fromLog(metaDocId(id), (e) => decryptEpochEntry(ctx, e))));
    }
    const id = r.memory_ids[1];
    await t.c('memory.update', { memory_id: id, patch: { title: 'edited', body: 'body 1 and more' } });
    expect((await t.c('memory.get', { memory_id: id })).memory).toMatchObject({ title: 'edited', body: 'body 1 and more', version: 2 });
  });
});

