import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, cli, hostPost as post, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { openVaultDb } from '../helpers/vault-db';

// Reliability: kill -9 during writes loses no acknowledged write, and leaves integrity_check ok and the audit chain valid.
describe('kill -9 during writes', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('keeps every acknowledged write', async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    const host = await serve(dir);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await post(host.port, host.token, { method: 'memory.create', params: { space_id: 'personal:me', type: 'episodic', band: i % 3 ? 'GREEN' : 'AMBER', title: `w${w}-${i}`, body: 'x'.repeat(800) } });
          if (r.status === 200) acknowledged.push(r.json.result.memory.memory_id);
        } catch { return; } // the connection died with the host
      }
    };
    const writers = [writer(1), writer(2), writer(3)];
    await new Promise((r) => setTimeout(r, 1500));
    await host.stop('SIGKILL');
    await Promise.all(writers);
    stop = true;
    expect(acknowledged.length).toBeGreaterThan(10);

    const db = openVaultDb(dir);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const listed = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = call(dir, 'memory.list', { limit: 1000, ...(cursor ? { cursor } : {}) });
      page.memories.forEach((m: any) => listed.add(m.memory_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(acknowledged.filter((id) => !listed.has(id))).toEqual([]);
    expect(call(dir, 'audit.verify').valid).toBe(true);
  });
});
