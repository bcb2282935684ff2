import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE, WAL_AUTOCHECKPOINT_PAGES } from '../../core/store/database';
import { openTestApp, reopen } from '../helpers/app';

// memory.create's p95 at 100k was set by SQLite's own checkpoint (every 1,000 WAL pages, inside
// the commit that crossed it: one create in ~30). Checkpoints now run between calls, from the
// scheduler's tick; a write pays one only past WAL_AUTOCHECKPOINT_PAGES.
describe('WAL checkpoints between calls', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  const body = (i: number) => `entry ${i} ` + Array.from({ length: 150 }, (_, k) => `word${(i * 31 + k) % 997}`).join(' ');

  it('writes leave their pages in the WAL past SQLite\'s 1,000-page default; the tick copies them into the file; a reopen reads them all', async () => {
    const t = await openTestApp();
    close = t.close;
    const space = 'personal:me';
    const file = join(t.dir, DB_FILE);
    t.app.tick();
    const before = statSync(file).size;
    // the WAL file only grows until a checkpoint lets the next write start it again from the top:
    // its size counts the frames written since (32-byte header, 24-byte frame headers)
    const pageSize = t.app.ctx.db.pragma('page_size', { simple: true }) as number;
    const walFrames = () => Math.floor((statSync(`${file}-wal`).size - 32) / (24 + pageSize));
    let frames = 0;
    let n = 0;
    // create until the WAL would have crossed the old default at least once (no tick meanwhile)
    while (n < 400) {
      await t.c('memory.create', { space_id: space, type: 'episodic', band: 'GREEN', title: `m${n}`, body: body(n) });
      n++;
      if (n % 20 === 0) {
        frames = walFrames();
        if (frames > 1500) break;
      }
    }
    expect(frames).toBeGreaterThan(1500);
    expect(frames).toBeLessThan(WAL_AUTOCHECKPOINT_PAGES);
    expect(statSync(file).size).toBe(before); // nothing copied back by the writes themselves
    t.app.tick();
    expect(statSync(file).size).toBeGreaterThan(before);
    await t.app.close();
    const again = await reopen(t.dir);
    await again.call('vault.unlock', { passphrase: 'correct horse battery staple' });
    const listed = (await again.call('memory.list', { space_id: space, limit: 1 })) as { total: number };
    expect(listed.total).toBe(n);
    await again.close();
  }, 120_000);
});
