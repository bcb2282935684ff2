import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/**
 * A data directory written by the previous release (tests/fixtures/release-0.1.0: its libsodium
 * build, its schema) opens with this build: same passphrase, same Argon2id parameters, every
 * memory of every band reads back, search finds them.
 */
describe('a data directory from the previous release', () => {
  const { dir, cleanup } = tempDir('memoryos-release-');
  afterAll(cleanup);

  it('unlocks with its passphrase and reads every memory it held', () => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(ROOT, 'tests', 'fixtures', 'release-0.1.0', 'memoryos.db'), join(dir, 'memoryos.db'));
    const list = call(dir, 'memory.list', { space_id: 'personal:me' }).memories;
    expect(list.map((m: any) => m.band).sort()).toEqual(['AMBER', 'BLACK', 'GREEN', 'RED']);
    for (const m of list) {
      const full = call(dir, 'memory.get', { memory_id: m.memory_id }).memory;
      expect(full.title).toBe(`release ${m.band} canary-title-${m.band}`);
      expect(full.body).toBe(`canary-body-${m.band} the old release wrote this`);
      expect(full.people).toEqual(['Grandma Rosa']);
    }
    expect(call(dir, 'memory.list', { space_id: 'extended:grandparents' }).memories.map((m: any) => m.title)).toEqual(['garden canary-shared']);
    expect(call(dir, 'memory.search', { query: 'canary' }).hits.length).toBe(5);
    expect(call(dir, 'space.list').spaces.map((s: any) => s.name).sort()).toEqual(['Grandparents', 'Personal']);
    expect(call(dir, 'audit.verify').valid).toBe(true);
  }, 180_000); // ten one-shot CLI calls, each a process that unlocks
});
