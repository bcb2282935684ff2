import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsOf, impactOf } from '../../core/store/search-impact';
import { call, cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { openVaultDb } from '../helpers/vault-db';

/**
 * INDEX_FORMAT 4 writes 22 impact levels, marked by a letter ("igarden"), where format 3 wrote
 * nine, marked by a digit ("4garden"). A data directory of format 3 has everything else of the
 * index right, so its first unlock writes only the impact tokens again, from the text the index
 * holds, and ranks as before.
 */
describe('an index of format 3 gets its impact levels again at unlock', () => {
  const { dir, cleanup } = tempDir('memoryos-search-levels-');
  afterAll(cleanup);
  const ranked = (q: string) => call(dir, 'memory.search', { query: q, limit: 20 }).hits.map((h: any) => h.memory_id);
  const read = <T>(sql: string): T[] => {
    const db = openVaultDb(dir, { readonly: true });
    try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
  };

  beforeAll(() => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    for (let k = 0; k < 12; k++) {
      call(dir, 'memory.create', {
        space_id: 'personal:me', type: 'semantic', band: 'GREEN',
        title: k % 3 ? `garden notes ${k}` : `notes ${k}`, body: `${'garden '.repeat(k * 3)}and the shed ${'shed '.repeat(12 - k)}`, tags: k % 4 ? [] : ['garden'],
      });
    }
  }, 240_000);

  it('rewrites the impact tokens from the stored text, leaves the rest, ranks the same, and does it once', () => {
    const before = { garden: ranked('garden'), shed: ranked('garden shed') };
    const lead = read<{ id: number; terms: string }>('SELECT rowid AS id, terms FROM search_lead ORDER BY rowid');
    const texts = read<{ id: number; title: string; body: string; tags: string; people: string; places: string }>('SELECT rowid AS id, title, body, tags, people, places FROM search_fts ORDER BY rowid');
    expect(lead.length).toBeGreaterThan(6);
    // every token is a level letter and a term, as impactOf writes it from the stored text
    for (const t of texts) {
      const want = impactOf([t.title, t.body, t.tags, t.people, t.places]).lead;
      expect(lead.find((l) => l.id === t.id)?.terms ?? '', `document ${t.id}`).toBe(want);
    }
    expect(impactOf(columnsOf({ title: 'garden garden', body: 'garden', tags: ['garden'], people: [], places: [] })).lead).toBe('igarden');

    // as format 3 left it: a digit before each term, and a marker in a column the upgrade must not touch
    const db = openVaultDb(dir);
    try {
      db.transaction(() => {
        db.exec('DELETE FROM search_lead');
        for (const l of lead) db.prepare('INSERT INTO search_lead (rowid, terms) VALUES (?, ?)').run(l.id, l.terms.split(' ').map((tok) => `4${tok.slice(1)}`).join(' '));
        db.exec("UPDATE search_state SET format = 3, built_at = 0; UPDATE search_docs SET labels = '{\"tags\":[\"kept\"]}' WHERE id = 1");
      })();
    } finally { db.close(); }

    expect(ranked('garden')).toEqual(before.garden); // the unlock upgraded it
    expect(ranked('garden shed')).toEqual(before.shed);
    expect(read<{ id: number; terms: string }>('SELECT rowid AS id, terms FROM search_lead ORDER BY rowid')).toEqual(lead);
    const [state] = read<{ format: number; built_at: number }>('SELECT format, built_at FROM search_state WHERE id = 1');
    expect(state!.format).toBe(4);
    expect(state!.built_at).toBeGreaterThan(0);
    // only the impact tokens: a full refill would have written the labels again
    expect(read<{ labels: string }>('SELECT labels FROM search_docs WHERE id = 1')[0]!.labels).toBe('{"tags":["kept"]}');
    // once
    ranked('garden');
    expect(read<{ built_at: number }>('SELECT built_at FROM search_state WHERE id = 1')[0]!.built_at).toBe(state!.built_at);
  }, 240_000);
});
