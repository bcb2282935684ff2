import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { decryptedPages, openVaultDb } from '../helpers/vault-db';

/**
 * Issue 11, item 2: the full-text index lives in the encrypted database, is written in the same
 * transaction as the memory, is whole at every unlock without a rebuild, and an erased memory
 * leaves no term of it in any page (FTS5 secure-delete, SQLite secure_delete).
 */
describe('the persisted search index', () => {
  const { dir, cleanup } = tempDir('memoryos-search-index-');
  const ids: string[] = [];
  afterAll(cleanup);

  const state = () => {
    const db = openVaultDb(dir, { readonly: true });
    try {
      return {
        docs: (db.prepare('SELECT COUNT(*) AS n FROM search_docs').get() as { n: number }).n,
        fts: (db.prepare('SELECT COUNT(*) AS n FROM search_fts').get() as { n: number }).n,
        built_at: (db.prepare('SELECT built_at FROM search_state WHERE id = 1').get() as { built_at: number } | undefined)?.built_at ?? null,
        secureDelete: (db.prepare("SELECT v FROM search_fts_config WHERE k = 'secure-delete'").get() as { v: number } | undefined)?.v ?? 0,
      };
    } finally { db.close(); }
  };
  const matches = (term: string): number => {
    const db = openVaultDb(dir, { readonly: true });
    try { return (db.prepare('SELECT COUNT(*) AS n FROM search_fts WHERE search_fts MATCH ?').get(term) as { n: number }).n; } finally { db.close(); }
  };

  beforeAll(() => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    for (const [title, body] of [['Harbour walk', 'the lighthouse keeper waved'], ['Xylophonist recital', 'quintessential glockenspiel evening'], ['Bread', 'sourdough starter notes']]) {
      ids.push(call(dir, 'memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title, body }).memory.memory_id);
    }
  }, 240_000);

  it('is written with each memory and is whole at the next unlock, never rebuilt', () => {
    const first = state();
    expect(first.docs).toBe(3);
    expect(first.fts).toBe(3);
    expect(first.secureDelete).toBe(1);
    expect(first.built_at).not.toBeNull();
    // every one-shot call is a process that unlocks: none of them refills the index
    for (let i = 0; i < 3; i++) expect(call(dir, 'memory.search', { query: 'lighthouse' }).hits.map((h: any) => h.memory_id)).toEqual([ids[0]]);
    const later = state();
    expect(later.built_at).toBe(first.built_at);
    expect(later.docs).toBe(3);
    // an edit replaces the memory's entry in the same transaction
    call(dir, 'memory.update', { memory_id: ids[2], patch: { body: 'rye and spelt' } });
    expect(matches('sourdough')).toBe(0);
    expect(call(dir, 'memory.search', { query: 'spelt' }).hits.map((h: any) => h.memory_id)).toEqual([ids[2]]);
  }, 240_000);

  it('a memory erased leaves no term in the index and no copy in any page', () => {
    expect(matches('glockenspiel')).toBe(1);
    call(dir, 'memory.delete', { memory_id: ids[1] });
    expect(call(dir, 'privacy.erase', { memory_ids: [ids[1]], confirm: true }).erased).toBeDefined();
    const after = state();
    expect(matches('glockenspiel')).toBe(0);
    expect(after.docs).toBe(2);
    expect(call(dir, 'memory.search', { query: 'glockenspiel' }).hits).toEqual([]);
    const bytes = decryptedPages(dir);
    for (const w of ['glockenspiel', 'Xylophonist', 'xylophonist', 'quintessential']) expect(bytes.includes(Buffer.from(w)), `"${w}" left in a page`).toBe(false);
    expect(bytes.includes(Buffer.from('lighthouse'))).toBe(true); // the scan can see what is there
  }, 240_000);
});
