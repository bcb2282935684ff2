import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, cli, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { filesUnder } from '../helpers/disk-scan';


/** Every file under dir that holds the canary, as UTF-8 or UTF-16 (either byte order). */
function filesHolding(dir: string, canary: string): string[] {
  const needles = [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le'), Buffer.from(canary, 'utf16le').swap16()];
  return filesUnder(dir).filter((f) => { const b = readFileSync(f); return needles.some((n) => b.includes(n)); });
}

// Acceptance: a unique canary in a memory's title, body, tags and people is found in no file under the data directory.
describe('no plaintext on disk', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const canary = `Canary${Date.now().toString(36)}Zq`;

  it('leaves no trace of memory content in the database, WAL or logs, even after kill -9', async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    call(dir, 'space.create', { kind: 'shared', name: 'Family' });
    const host = await serve(dir, { MEMORYOS_LOG_LEVEL: 'debug' });
    try {
      const ids: string[] = [];
      for (const band of ['GREEN', 'AMBER', 'RED', 'BLACK']) {
        const m = call(dir, 'memory.create', {
          space_id: band === 'BLACK' ? 'personal:me' : 'shared:family', type: 'semantic', band,
          title: `title ${canary}`, body: `body ${canary} body`, tags: [`tag${canary}`], people: [`${canary}person`], places: [canary],
        });
        ids.push(m.memory.memory_id);
      }
      call(dir, 'memory.update', { memory_id: ids[0], patch: { body: `edited ${canary} again` } });
      call(dir, 'space.create', { kind: 'extended', name: 'Cousins' });
      call(dir, 'memory.share', { memory_id: ids[1], target_space_id: 'extended:cousins', consent: true });
      call(dir, 'memory.share', { memory_id: ids[0], target_space_id: 'extended:cousins' });
      expect(call(dir, 'memory.search', { query: canary }).hits.length).toBeGreaterThanOrEqual(4);
      call(dir, 'memory.get', { memory_id: ids[2] });
      expect(filesHolding(dir, canary)).toEqual([]);
    } finally {
      await host.stop('SIGKILL'); // the WAL is left as a crash leaves it
    }
    expect(filesUnder(dir).some((f) => f.endsWith('-wal'))).toBe(true);
    expect(filesHolding(dir, canary)).toEqual([]);
  });

  it('the scan itself finds a canary when one is there', () => {
    const probe = tempDir();
    try {
      require('node:fs').writeFileSync(join(probe.dir, 'x.bin'), Buffer.concat([Buffer.from('..'), Buffer.from(canary, 'utf16le')]));
      expect(filesHolding(probe.dir, canary)).toHaveLength(1);
    } finally { probe.cleanup(); }
  });
});
