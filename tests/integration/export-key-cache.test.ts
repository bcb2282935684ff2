import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp, PASS } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

// An export reads every memory of its subject once. It opened each DEK through the cache that
// keeps the keys of the memories a person is reading (DEK_CACHE_ENTRIES, most recent first), so
// an export of 100k memories pushed those out for keys it never used again, and each of its own
// lived just long enough in the cache to reach V8's old generation (~22 MB of garbage at 100k,
// docs/PERFORMANCE.md). The export now opens its keys without keeping them.
describe('privacy.export and the DEK cache', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  it('leaves the keys of the memories being read as they were, and adds none of its own', async () => {
    const t = await openTestApp();
    const scratch = tempDir('memoryos-export-keys-');
    close = async () => { await t.close(); scratch.cleanup(); };
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const band = i % 3 === 0 ? 'AMBER' : 'GREEN';
      ids.push((await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band, title: `walk ${i}`, body: `by the river ${i}` })).memory.memory_id);
    }
    // memories with files: the writer opens their key a second time, for the files' records
    for (const id of ids.slice(30)) await t.c('attachment.add', { memory_id: id, data_base64: Buffer.from(`notes of ${id}`).toString('base64'), name: 'notes.txt', mime: 'text/plain' });
    // a lock empties the cache (creates filled it); reading two memories puts their keys back
    await t.c('vault.lock');
    await t.c('vault.unlock', { passphrase: PASS });
    const deks = t.app.ctx.keyring!.deks;
    expect(deks.size).toBe(0);
    for (const id of ids.slice(0, 2)) await t.c('memory.get', { memory_id: id });
    expect(deks.size).toBe(2);

    let job = (await t.c('privacy.export', { out: join(scratch.dir, 'a.zip') })).job;
    for (let i = 0; i < 600 && !['done', 'failed', 'cancelled'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await t.c('job.get', { job_id: job.job_id })).job;
    }
    expect(job, JSON.stringify(job.error)).toMatchObject({ status: 'done', result: { memories: 40, files: 40 * 2 + 10 + 8 } }); // two per memory, the 10 files, the export's own 8
    expect(deks.size).toBe(2);
    expect(ids.slice(0, 2).every((id) => deks.has(id))).toBe(true);
    // what it did not keep it still opens: reading another memory after the export works as ever
    expect((await t.c('memory.get', { memory_id: ids[39] })).memory.title).toBe('walk 39');
  }, 60_000);
});
