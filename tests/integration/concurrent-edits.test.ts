import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp } from '../helpers/app';

// Character-level merge: two edits made on the same version of a body both survive.
describe('concurrent edits to one body', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  beforeAll(async () => { t = await openTestApp(); });
  afterAll(async () => { await t.close(); });

  it('merges edits made on the same base version, losing neither', async () => {
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'Recipe', body: 'Mix flour and water.' })).memory;
    expect(m.version).toBe(1);
    // two editors both loaded version 1
    await t.c('memory.update', { memory_id: m.memory_id, base_version: 1, patch: { body: 'Mix flour, salt and water.' } });
    const r = await t.c('memory.update', { memory_id: m.memory_id, base_version: 1, patch: { body: 'Mix flour and warm water. Rest 1h.' } });
    expect(r.memory.body).toBe('Mix flour, salt and warm water. Rest 1h.');
    expect(r.memory.version).toBe(3);
    const title = await t.c('memory.update', { memory_id: m.memory_id, base_version: 2, patch: { title: 'Bread recipe' } });
    expect(title.memory).toMatchObject({ title: 'Bread recipe', body: 'Mix flour, salt and warm water. Rest 1h.' });
  });

  it('refuses a base version from the future', async () => {
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'x' })).memory;
    await expect(t.c('memory.update', { memory_id: m.memory_id, base_version: 7, patch: { body: 'y' } })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
