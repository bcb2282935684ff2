import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp, PASS, reopen } from '../helpers/app';
import { openVaultDb } from '../helpers/vault-db';
import { jobSettled, startJob } from '../../core/jobs/jobs';
import type { Db } from '../../core/store/database';

// FTS5's automerge ran inside the commit of a memory.create: a create every few dozen at 100k
// paid 15–55 ms of segment merging (for each of search_fts and search_lead), which set create's p99 at
// 17–19 ms. Migration 021 turns automerge off on both tables and the scheduler's tick merges
// between calls (SearchIndex.mergeSegments). Merging must change no search result, and the
// tick must actually do it, or the segments a query reads would only grow.
const TABLES = ['search_fts', 'search_lead'] as const;
const automerge = (db: Db, t: string) => (db.prepare(`SELECT v FROM ${t}_config WHERE k = 'automerge'`).get() as { v: number } | undefined)?.v;
const segments = (db: Db, t: string) => (db.prepare(`SELECT count(DISTINCT segid) AS n FROM ${t}_idx`).get() as { n: number }).n;

describe('the search index merges its segments between calls', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  /** a vault whose index holds more segments than a merge leaves (40 creates, no tick between them) */
  async function withPiledSegments() {
    const t = await openTestApp();
    close = t.close;
    for (let i = 0; i < 40; i++) await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: `walk ${i}`, body: `the harbour ${i}` });
    return t;
  }

  it('no create merges; a merge between calls leaves every search as it was; the tick runs it', async () => {
    const t = await openTestApp();
    close = t.close;
    const db = t.app.ctx.db;
    for (const table of TABLES) expect(automerge(db, table), `${table} automerge`).toBe(0);

    const space = 'personal:me';
    const words = ['harbour', 'lantern', 'orchard', 'meadow'];
    for (let i = 0; i < 60; i++) {
      await t.c('memory.create', {
        space_id: space, type: 'episodic', band: 'GREEN', title: `${words[i % 4]} day ${i}`,
        body: `we walked to the ${words[(i + 1) % 4]} and the ${words[(i + 2) % 4]} number ${i}`, tags: [`t${i % 7}`],
      });
    }
    // each create's commit wrote a segment per table: they pile up (at this size with automerge
    // on too; the config above is what tells the change) until a merge between calls
    const piled = TABLES.map((table) => segments(db, table));
    for (const n of piled) expect(n).toBeGreaterThan(4);

    const queries = ['harbour', 'lantern orchard', 'meadow day', 'number', 'harbor', 't3'];
    const search = async () => Promise.all(queries.map(async (q) => ((await t.c('memory.search', { query: q, limit: 50 })).hits as { memory_id: string; score?: number }[]).map((h) => `${h.memory_id}:${h.score ?? ''}`)));
    const before = await search();
    expect(before.every((hits) => hits.length > 0)).toBe(true);

    expect(t.app.ctx.search.mergeSegments(5_000)).toBeGreaterThan(0);
    const merged = TABLES.map((table) => segments(db, table));
    merged.forEach((n, i) => expect(n).toBeLessThan(piled[i]!));
    // nothing left that FTS5 would merge (no level holds `usermerge` = 4 segments)
    expect(t.app.ctx.search.mergeSegments(5_000)).toBe(0);
    expect(await search()).toEqual(before);
    expect(db.prepare("SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH 'harbour'").get()).toEqual({ n: 45 });

    // more creates pile up again; the scheduler's tick (what a host runs once a second) merges them
    for (let i = 60; i < 100; i++) await t.c('memory.create', { space_id: space, type: 'episodic', band: 'GREEN', title: `${words[i % 4]} ${i}`, body: 'b' });
    const again = segments(db, 'search_fts');
    t.app.tick();
    // (one tick's 20 ms may not finish them all on a loaded machine: fewer is what it must leave)
    expect(segments(db, 'search_fts')).toBeLessThan(again);
  }, 60_000);

  it('a merge keeps what the searches before it learned of each word; another connection\'s commit still drops it', async () => {
    // a merge moves total_changes() (what the per-state cache is keyed by, with data_version) but
    // no document, term or count: before this, every tick that merged made the next searches read
    // every word's terms, levels and counts again (a few ms a word at 100k: the bench's p95 rose
    // by about an eighth when a tick merged between its queries)
    const t = await withPiledSegments();
    const db = t.app.ctx.db;
    const cacheOf = () => (t.app.ctx.search as unknown as { spans: WeakMap<Db, { words: Map<string, unknown> }> }).spans.get(db);
    const search = async (q: string) => ((await t.c('memory.search', { query: q, limit: 50 })).hits as { memory_id: string }[]).map((h) => h.memory_id);
    const before = await search('harbour');
    expect(before).toHaveLength(40);
    const learned = cacheOf();
    expect(learned?.words.size).toBeGreaterThan(0);

    expect(t.app.ctx.search.mergeSegments(5_000)).toBeGreaterThan(0);
    expect(await search('harbour')).toEqual(before);
    expect(cacheOf(), 'the same cache, carried across the merge').toBe(learned);

    // a commit by another connection is a change this one cannot see into: the cache goes
    const other = openVaultDb(t.dir, { passphrase: PASS });
    try { other.exec('CREATE TABLE other_wrote (a); DROP TABLE other_wrote'); } finally { other.close(); }
    t.app.ctx.search.mergeSegments(5_000);
    expect(await search('harbour')).toEqual(before);
    expect(cacheOf(), 'a cache carried over another connection\'s commit').not.toBe(learned);
  }, 60_000);

  it('waits for no one: while another connection holds the write lock, a merge does nothing and the tick goes on', async () => {
    const t = await withPiledSegments();
    const db = t.app.ctx.db;
    const other = openVaultDb(t.dir, { passphrase: PASS });
    other.exec('BEGIN IMMEDIATE');
    try {
      const t0 = performance.now();
      expect(t.app.ctx.search.mergeSegments(5_000)).toBe(0);
      // it did not wait out busy_timeout (5 s) on the thread that answers calls, and put it back
      expect(performance.now() - t0).toBeLessThan(2_500);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5_000);
      expect(() => t.app.tick()).not.toThrow();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(t.app.ctx.search.mergeSegments(5_000)).toBeGreaterThan(0);
  }, 60_000);

  it('leaves a running job the thread: the tick merges once the job has ended', async () => {
    const t = await withPiledSegments();
    const db = t.app.ctx.db;
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const job = startJob(t.app.ctx, 'export', t.app.ctx.keyring!.memberId, {}, async () => { await held; return {}; });
    await new Promise((r) => setTimeout(r, 20));
    const piled = segments(db, 'search_fts');
    try {
      t.app.tick();
      expect(segments(db, 'search_fts')).toBe(piled);
    } finally { release(); }
    await jobSettled(t.app.ctx, job.job_id);
    t.app.tick();
    expect(segments(db, 'search_fts')).toBeLessThan(piled);
  }, 60_000);

  it('closing an app that ran no scheduler (a one-shot CLI call) merges what its writes piled up', async () => {
    const t = await withPiledSegments();
    const piled = TABLES.map((table) => segments(t.app.ctx.db, table));
    await t.app.close();
    const again = await reopen(t.dir);
    try {
      await again.call('vault.unlock', { passphrase: PASS }, {});
      TABLES.forEach((table, i) => expect(segments(again.ctx.db, table), table).toBeLessThan(piled[i]!));
    } finally { await again.close(); }
  }, 60_000);
});
