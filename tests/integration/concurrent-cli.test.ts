import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, call, cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { openVaultDb } from '../helpers/vault-db';

/** One `memoryos call` as its own process, resolved with its exit code and JSON. */
function callAsync(dataDir: string, method: string, params: unknown): Promise<{ code: number; json: any }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'call', method, JSON.stringify(params)], {
      env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('exit', (code) => { let json: any = null; try { json = JSON.parse(out); } catch { /* reported below */ } resolve({ code: code ?? -1, json }); });
  });
}

// Issue 8, acceptance: many processes on one data directory without a host — every call answers
// OK (the CLI retries BUSY itself), none INTERNAL, no write lost, integrity_check ok.
describe('16 concurrent CLI writers on one data directory, no host', () => {
  const { dir, cleanup } = tempDir('memoryos-concurrent-');
  afterAll(cleanup);

  it('every call answers OK, none INTERNAL, every write is there, the database is whole', async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    const WRITERS = 16, EACH = 3;
    const results = await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      const mine: { code: number; json: any }[] = [];
      for (let i = 0; i < EACH; i++) {
        mine.push(await callAsync(dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: `w${w}-${i}`, body: 'x' }));
      }
      return mine;
    }));
    const flat = results.flat();
    const codes = flat.map((r) => r.json?.error?.code ?? (r.code === 0 ? 'OK' : `exit ${r.code}`));
    expect(codes.filter((c) => c === 'INTERNAL')).toEqual([]);
    expect(codes.filter((c) => c !== 'OK')).toEqual([]);
    const titles = new Set(call(dir, 'memory.list', { limit: 500 }).memories.map((m: any) => m.title));
    for (let w = 0; w < WRITERS; w++) for (let i = 0; i < EACH; i++) expect(titles.has(`w${w}-${i}`)).toBe(true);
    const db = openVaultDb(dir, { readonly: true });
    try { expect(db.pragma('integrity_check', { simple: true })).toBe('ok'); } finally { db.close(); }
    expect(call(dir, 'audit.verify').valid).toBe(true);
  }, 180_000);
});
