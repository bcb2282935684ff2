import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { decryptedPages, openVaultDb } from '../helpers/vault-db';

/**
 * The facets search filters read (labels and dates, migration 016) live in the persisted index:
 * written with the memory, filled once when the index is of an earlier format (INDEX_FORMAT 1, no
 * facets), and erased with the memory — no label of it left in any page.
 */
describe('search facets in the persisted index', () => {
  const { dir, cleanup } = tempDir('memoryos-search-facets-');
  const ids: string[] = [];
  afterAll(cleanup);

  const facets = () => {
    const db = openVaultDb(dir, { readonly: true });
    try {
      return {
        rows: db.prepare('SELECT memory_id, created_at, occurred_at, labels FROM search_docs ORDER BY memory_id').all() as { memory_id: string; created_at: number | null; occurred_at: string | null; labels: string | null }[],
        state: db.prepare('SELECT format, built_at FROM search_state WHERE id = 1').get() as { format: number; built_at: number },
      };
    } finally { db.close(); }
  };
  const tagged = (tag: string) => call(dir, 'memory.search', { tags: [tag] }).hits.map((h: any) => h.memory_id).sort();

  beforeAll(() => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    ids.push(call(dir, 'memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: 'Beach day', body: 'sand and sun', tags: ['holiday'], people: ['Ana'], places: ['Lisbon'], occurred_at: '2026-07-01T00:00:00.000Z' }).memory.memory_id);
    ids.push(call(dir, 'memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: 'Zoo', body: 'we saw animals', tags: ['holiday', 'Quokkafest'], people: ['Wilhelmina Obernauer'], places: ['Kirkenesby'] }).memory.memory_id);
  }, 240_000);

  it('are written with each memory, and an index of the earlier format is refilled once with them', () => {
    const first = facets();
    expect(first.rows).toHaveLength(2);
    for (const r of first.rows) { expect(r.created_at).not.toBeNull(); expect(JSON.parse(r.labels!).tags).toContain('holiday'); }
    expect(first.rows.find((r) => r.memory_id === ids[0])!.occurred_at).toBe('2026-07-01T00:00:00.000Z');
    expect(tagged('holiday')).toEqual([...ids].sort());

    // as a data directory of the previous format leaves it: the index without facets
    const db = openVaultDb(dir);
    try { db.exec('UPDATE search_docs SET created_at = NULL, occurred_at = NULL, labels = NULL; UPDATE search_state SET format = 1, built_at = 0'); } finally { db.close(); }
    expect(tagged('holiday')).toEqual([...ids].sort()); // the unlock refilled it, facets too
    const refilled = facets();
    expect(refilled.state.built_at).toBeGreaterThan(0);
    expect(refilled.rows.every((r) => r.labels !== null && r.created_at !== null)).toBe(true);
    expect(call(dir, 'memory.search', { happened_from: '2026-07-01', happened_to: '2026-07-01' }).hits.map((h: any) => h.memory_id)).toEqual([ids[0]]);
    // once: the next unlock does not refill again
    expect(tagged('holiday')).toHaveLength(2);
    expect(facets().state.built_at).toBe(refilled.state.built_at);
  }, 240_000);

  it('a memory erased leaves none of its labels in any page', () => {
    call(dir, 'memory.delete', { memory_id: ids[1] });
    expect(call(dir, 'privacy.erase', { memory_ids: [ids[1]], confirm: true }).erased).toBeDefined();
    expect(facets().rows.map((r) => r.memory_id)).toEqual([ids[0]]);
    expect(tagged('quokkafest')).toEqual([]);
    const bytes = decryptedPages(dir);
    for (const w of ['Quokkafest', 'quokkafest', 'Obernauer', 'obernauer', 'Kirkenesby', 'kirkenesby']) expect(bytes.includes(Buffer.from(w)), `"${w}" left in a page`).toBe(false);
    expect(bytes.includes(Buffer.from('Lisbon'))).toBe(true); // the scan can see what is there
  }, 240_000);
});
