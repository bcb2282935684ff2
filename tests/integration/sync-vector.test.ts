import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spaceVector } from '../../core/store/sync-log';
import { entryLogsTable } from '../../core/store/tables/entry-logs';
import { openTestApp } from '../helpers/app';

/**
 * A space's version vector walks the (space_id, author_device, seq) index author by author
 * (entry-logs.ts) instead of grouping the whole log: it must say exactly what the grouping says.
 */
describe('a space\'s version vector', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  beforeAll(async () => {
    t = await openTestApp();
    const row = (space_id: string, author_device: string, seq: number) => ({
      space_id, doc_id: `doc-${seq % 7}`, author_device, seq, key_id: 'k', nonce: new Uint8Array(24), ciphertext: new Uint8Array([seq & 255]), signature: new Uint8Array(64),
    });
    // spaces that share a prefix, author ids that sort around each other, uneven seqs, an author in one space only
    const plan: [string, string, number][] = [
      ['shared:fam', 'B', 3], ['shared:fam', 'A', 40], ['shared:fam', 'AA', 1], ['shared:fam', 'Z', 17],
      ['shared:family', 'A', 5], ['shared:family', 'C', 2], ['shared:f', 'B', 9],
    ];
    t.app.ctx.uow.run(() => { for (const [space, author, n] of plan) for (let s = 1; s <= n; s++) entryLogsTable.insert(t.app.ctx.db, 'sync_log', row(space, author, s)); });
  });
  afterAll(async () => { await t.close(); });

  it('equals MAX(seq) grouped by author device, for every space and for one with no entries', () => {
    const grouped = (space: string) => Object.fromEntries((t.app.ctx.db.prepare('SELECT author_device, MAX(seq) AS s FROM sync_log WHERE space_id = ? GROUP BY author_device').all(space) as { author_device: string; s: number }[]).map((r) => [r.author_device, r.s]));
    for (const space of ['shared:fam', 'shared:family', 'shared:f', 'personal:me', 'shared:none']) expect(spaceVector(t.app.ctx, space)).toEqual(grouped(space));
    expect(spaceVector(t.app.ctx, 'shared:fam')).toEqual({ A: 40, AA: 1, B: 3, Z: 17 });
    expect(spaceVector(t.app.ctx, 'shared:none')).toEqual({});
  });
});
