import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, call, cli, PASSPHRASE } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/**
 * `memoryos import` end to end, as a person would run it: the real CLI in its own process (the
 * compiled core), a real data directory, the fixture exports, and an encrypted backup made by
 * `memoryos export --encrypt` restored into a second data directory with --passphrase-file.
 */
const FIX = join(__dirname, '..', 'fixtures', 'import');

describe('memoryos import (CLI)', () => {
  const { dir: work, cleanup } = tempDir('memoryos-import-cli-');
  const home = join(work, 'home');
  afterAll(cleanup);

  beforeAll(() => {
    expect(cli(home, ['init', '--name', 'Ana']).code).toBe(0);
    call(home, 'space.create', { kind: 'shared', name: 'Family' });
  }, 120_000);

  it('imports a folder: the report as JSON on stdout, progress lines and a summary on stderr (not a terminal); a dry run again would skip them all', () => {
    const r = cli(home, ['import', join(FIX, 'obsidian'), '--space', 'shared:family']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.job).toMatchObject({ kind: 'import', status: 'done', result: { format: 'markdown', imported: 3, skipped_duplicates: 0, failed_count: 1 } });
    expect(r.json.job.result.failed).toEqual([{ path: 'Trips/Broken front matter.md', reason: expect.any(String) }]);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => /^Importing: \d+% \(\d+\/\d+\)$/.test(l)).length).toBeGreaterThanOrEqual(1);
    expect(lines).toContain('Importing: 100% (4/4)');
    expect(lines.at(-1)).toBe('Imported 3, skipped 0 already imported, 1 failed, 1 warnings.');
    const titles = call(home, 'memory.list', { space_id: 'shared:family' }).memories.map((m: any) => m.title).sort();
    expect(titles).toEqual(['Apple crumble (Grandma Rosa)', 'Lisbon 2024', 'Welcome']);

    const dry = cli(home, ['import', join(FIX, 'obsidian'), '--space', 'shared:family', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.json.job.result).toMatchObject({ dry_run: true, imported: 0, skipped_duplicates: 3 });
    expect(dry.stderr).toContain('Checking: 100%');
  }, 120_000);

  // util-linux `script` gives the CLI a terminal for stderr (Debian and the CI image have it)
  it.skipIf(!existsSync('/usr/bin/script'))('on a terminal, a progress bar redrawn in place (carriage returns), then the summary', () => {
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --data-dir ${JSON.stringify(home)} import ${JSON.stringify(join(FIX, 'keep'))} --space shared:family --dry-run >/dev/null`;
    const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE }, timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\rChecking \[#+\s*\] +100% 5\/5/);
    expect(r.stdout).not.toMatch(/Checking: \d+%/); // not the plain lines meant for a pipe
    expect(r.stdout).toContain('Would import 3, skipped 0 already imported, 1 failed');
  }, 120_000);

  it('--format and --band are passed on (the band applies to every memory); a job that fails exits 2 with the structured error', () => {
    const r = cli(home, ['import', join(FIX, 'enex', 'family.enex'), '--space', 'shared:family', '--format', 'enex', '--band', 'amber']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.job.result).toMatchObject({ format: 'enex', imported: 3 });
    const bands = call(home, 'memory.list', { space_id: 'shared:family', band: 'AMBER' }).memories.map((m: any) => m.title);
    expect(bands).toContain('Grandma\'s apple pie');

    const wrong = cli(home, ['import', join(FIX, 'keep'), '--space', 'shared:family', '--format', 'joplin']);
    expect(wrong.code).toBe(2);
    expect(wrong.json.error).toMatchObject({ code: 'INVALID_INPUT', details: { status: 'failed' } });
    const usage = cli(home, ['import', join(FIX, 'keep')]);
    expect(usage.code).toBe(2);
    expect(usage.json.error.message).toMatch(/usage: memoryos import PATH --space SPACE/);
  }, 120_000);

  it('two `memoryos import` processes of the same folder at once, no host: every note arrives once', async () => {
    const dir = join(work, 'race');
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    const src = join(work, 'race-notes');
    mkdirSync(src, { recursive: true });
    for (let i = 0; i < 150; i++) writeFileSync(join(src, `n${String(i).padStart(3, '0')}.md`), `note ${i}\n`);
    const once = () => new Promise<{ code: number; json: any }>((resolve) => {
      const p = spawn(process.execPath, [BIN, '--data-dir', dir, 'import', src, '--space', 'personal:me'], { env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => { out += d; });
      p.on('exit', (code) => { let json: any = null; try { json = JSON.parse(out); } catch { /* asserted below */ } resolve({ code: code ?? -1, json }); });
    });
    const [a, b] = await Promise.all([once(), once()]);
    expect([a.code, b.code], JSON.stringify([a.json, b.json])).toEqual([0, 0]);
    expect(a.json.job.result.imported + b.json.job.result.imported).toBe(150);
    expect(a.json.job.result.skipped_duplicates + b.json.job.result.skipped_duplicates).toBe(150);
    expect(call(dir, 'memory.list', { space_id: 'personal:me', limit: 500 }).memories).toHaveLength(150);
  }, 180_000);

  it('restores an encrypted `memoryos export` into a fresh data directory with --passphrase-file', () => {
    const zip = join(work, 'backup.zip');
    const e = cli(home, ['export', '--encrypt', '--out', zip], { MEMORYOS_EXPORT_PASSPHRASE: 'a long export passphrase' });
    expect(e.code, e.stdout + e.stderr).toBe(0);
    const fresh = join(work, 'fresh');
    expect(cli(fresh, ['init', '--name', 'Ana']).code).toBe(0);
    const pf = join(work, 'pass.txt');
    writeFileSync(pf, 'a long export passphrase\n', { mode: 0o600 });
    const r = cli(fresh, ['import', zip, '--space', 'personal:me', '--passphrase-file', pf]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.job.result).toMatchObject({ format: 'memoryos', imported: 6, failed_count: 0, verified: { encrypted: true } });
    const titles = call(fresh, 'memory.list', { space_id: 'personal:me' }).memories.map((m: any) => m.title).sort();
    const before = call(home, 'memory.list', { space_id: 'shared:family' }).memories.map((m: any) => m.title).sort();
    expect(titles).toEqual(before);
  }, 180_000);
});
