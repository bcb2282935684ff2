import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../contracts/types';
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
});
