import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, cli, hostPost, ROOT, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 9's acceptance, tried as a new user would, through the CLI: two spaces, memories of every
 * band, a child profile writing into the shared space; `memoryos export --out x.zip` is checked by
 * an independent checker (Python zipfile + hashlib + PyNaCl, none of the project's code), and
 * `memoryos verify-export` rejects a copy with one byte of one memory changed.
 */

// Debian's python3 carries python3-nacl (CI installs it); a pyenv python first on PATH may not
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CHECKER = join(ROOT, 'tests', 'helpers', 'check-export.py');

function checker(zip: string, key: string, extra: string[] = []): { code: number; report: any; out: string } {
  const r = spawnSync(PYTHON, [CHECKER, zip, key, ...extra], { encoding: 'utf8', timeout: 60_000 });
  let report: any = null;
  try { report = JSON.parse(r.stdout); } catch { /* the assertion prints what came out */ }
  return { code: r.status ?? -1, report, out: r.stdout + r.stderr };
}

/** The same archive with one byte of one memory's JSON changed, re-zipped consistently (a valid ZIP whose hash no longer matches). */
function tamperOneByte(zip: string, out: string, entry: string): void {
  const py = `
import sys, zipfile
src, dst, name = sys.argv[1:4]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == name:
            i = data.index(b'"title"') + 10
            data = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]
        zout.writestr(info, data)
`;
  const r = spawnSync(PYTHON, ['-c', py, zip, out, entry], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

describe('privacy.export through the CLI (GDPR Art. 15/20)', () => {
  const { dir, cleanup } = tempDir('memoryos-export-');
  const ids: Record<string, string> = {};
  let child = '';
  let deviceKey = '';
  afterAll(cleanup);

  beforeAll(() => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    call(dir, 'space.create', { kind: 'shared', name: 'Family' });
    child = call(dir, 'member.create', { name: 'Leo' }).member.member_id;
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: child, role: 'child' });
    const add = (key: string, space: string, band: string, title: string, extra: Record<string, unknown> = {}, as?: string) => {
      ids[key] = call(dir, 'memory.create', { space_id: space, type: 'episodic', band, title, body: `${title} body text`, tags: ['t-' + key], ...extra }, { as }).memory.memory_id;
    };
    add('green', 'personal:me', 'GREEN', 'Ana green picnic');
    add('amber', 'shared:family', 'AMBER', 'Ana amber allergy note', { people: ['Leo'] });
    add('red', 'shared:family', 'RED', 'Ana red diagnosis', { recipients: [] });
    add('black', 'personal:me', 'BLACK', 'Ana black diary');
    add('trashed', 'personal:me', 'GREEN', 'Ana trashed shopping');
    call(dir, 'memory.delete', { memory_id: ids.trashed });
    add('child', 'shared:family', 'GREEN', 'Leo drew a dinosaur', {}, child);
    deviceKey = call(dir, 'device.list').devices.find((d: any) => d.this_device).ed25519_public_key;
  });

  it('writes a signed archive an independent checker accepts: every file listed and hashed, one JSON and one Markdown per memory of hers, the child\'s content absent, the README complete', () => {
    const zip = join(dir, 'x.zip');
    const r = cli(dir, ['export', '--out', zip]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const job = r.json.job;
    expect(job).toMatchObject({ kind: 'export', status: 'done' });
    expect(job.result).toMatchObject({ path: zip, encrypted: false, memories: 4 });
    expect(job.result.bytes).toBeGreaterThan(0);

    const c = checker(zip, deviceKey, [
      '--must-contain', 'Ana green picnic', '--must-contain', 'Ana amber allergy note', '--must-contain', 'Ana red diagnosis', '--must-contain', 'Ana trashed shopping',
      '--must-not-contain', 'Leo drew a dinosaur', '--must-not-contain', 'Ana black diary',
    ]);
    expect(c.code, c.out).toBe(0);
    expect(c.report.valid).toBe(true);
    expect(c.report.checks.memory_json.ids.sort()).toEqual([ids.green, ids.amber, ids.red, ids.trashed].sort());
    expect(c.report.checks.markdown.count).toBe(4);
    const names = spawnSync(PYTHON, ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip], { encoding: 'utf8' }).stdout.split('\n');
    for (const f of ['manifest.json', 'manifest.sig', 'spaces.json', 'members.json', 'devices.json', 'settings.json', 'audit.json', 'README.md']) expect(names).toContain(f);
  });

  it('says in the README what it left out (the child\'s memory counted, not copied) and lists the recipients', () => {
    const zip = join(dir, 'readme.zip');
    expect(cli(dir, ['export', '--out', zip]).code).toBe(0);
    const py = `import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.write(z.read('README.md').decode())`;
    const readme = spawnSync(PYTHON, ['-c', py, zip], { encoding: 'utf8' }).stdout;
    for (const word of ['Purposes', 'Categories', 'Recipients', 'Retention', 'rectification', 'erasure', 'restriction', 'object', 'complaint', 'Source', 'automated decision']) {
      expect(readme.toLowerCase()).toContain(word.toLowerCase());
    }
    expect(readme).toContain('Family');
    expect(readme).toContain('Leo'); // a recipient of the Family space, by name
    expect(readme).not.toContain('dinosaur');
  });

  it('memoryos verify-export accepts the archive and rejects a copy with one byte of one memory changed, naming that file', () => {
    const zip = join(dir, 'v.zip');
    expect(cli(dir, ['export', '--out', zip]).code).toBe(0);
    // the privacy center's "verified" mark: privacy.verifyExport, a job (a one-shot call waits for it)
    expect(call(dir, 'privacy.verifyExport', { path: zip }).job).toMatchObject({ kind: 'verify', status: 'done', result: { valid: true, files: expect.any(Number) } });
    const ok = cli(dir, ['verify-export', zip, '--key', deviceKey]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ valid: true, key_checked: 'given' });

    const entry = `memories/${ids.amber}.json`;
    const bad = join(dir, 'v-tampered.zip');
    tamperOneByte(zip, bad, entry);
    const r = cli(dir, ['verify-export', bad, '--key', deviceKey]);
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ valid: false, first_bad: { path: entry, reason: 'sha256_mismatch' } });
    expect(checker(bad, deviceKey).code).toBe(1); // the independent checker agrees
    expect(call(dir, 'privacy.verifyExport', { path: bad }).job.result).toMatchObject({ valid: false, first_bad: { path: entry, reason: 'sha256_mismatch' } });

    // a flipped byte in the raw file (the deflated entry, its CRC) is refused too
    const raw = readFileSync(zip);
    const at = raw.indexOf(Buffer.from(entry)) + entry.length + 8;
    raw[at] ^= 0xff;
    writeFileSync(join(dir, 'v-flipped.zip'), raw);
    expect(cli(dir, ['verify-export', join(dir, 'v-flipped.zip'), '--key', deviceKey]).code).toBe(2);

    // and a key that is not the device's is refused
    const other = Buffer.alloc(32, 7).toString('base64');
    expect(cli(dir, ['verify-export', zip, '--key', other]).json.first_bad.reason).toBe('wrong_key');
  });

  it('BLACK memories only with --include-black and the passphrase again; an encrypted export needs its passphrase to verify', () => {
    // without the passphrase again: refused before anything is written
    const denied = callError(dir, 'privacy.export', { out: join(dir, 'b0.zip'), include_black: true });
    expect(denied.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(denied.error.details)).toContain('REAUTH_REQUIRED');
    expect(existsSync(join(dir, 'b0.zip'))).toBe(false);

    const zip = join(dir, 'b.zip');
    const r = cli(dir, ['export', '--out', zip, '--include-black', '--encrypt'], { MEMORYOS_EXPORT_PASSPHRASE: 'a long export passphrase' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.job.result).toMatchObject({ encrypted: true, memories: 5 });
    expect(readFileSync(zip).includes(Buffer.from('Ana black diary'))).toBe(false);
    expect(readFileSync(zip).subarray(0, 2).toString()).not.toBe('PK');
    const v = cli(dir, ['verify-export', zip, '--key', deviceKey], { MEMORYOS_EXPORT_PASSPHRASE: 'a long export passphrase' });
    expect(v.code, v.stdout).toBe(0);
    expect(v.json).toMatchObject({ valid: true, encrypted: true });
    const wrong = cli(dir, ['verify-export', zip], { MEMORYOS_EXPORT_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.json.first_bad.reason).toBe('wrong_passphrase');
  });

  it('a child exports their own data only; they cannot export the owner\'s', () => {
    const mine = cli(dir, ['--as', child, 'export']);
    expect(mine.code, mine.stdout + mine.stderr).toBe(0);
    expect(mine.json.job.result.memories).toBe(1);
    expect(mine.json.job.result.path.startsWith(join(dir, 'exports'))).toBe(true);
    const owner = call(dir, 'vault.status').member_id ?? call(dir, 'member.list').members.find((m: any) => m.local && m.name === 'Ana')?.member_id;
    const denied = callError(dir, 'privacy.export', { subject: owner }, { as: child });
    expect(denied.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(readdirSync(join(dir, 'exports')).length).toBe(1);
  });

  it('an export never replaces a file, and a bad name is a structured error', () => {
    writeFileSync(join(dir, 'exists.zip'), 'keep me');
    expect(callError(dir, 'privacy.export', { out: join(dir, 'exists.zip') }).error).toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(join(dir, 'exists.zip'), 'utf8')).toBe('keep me');
    expect(callError(dir, 'privacy.export', { out: '../escape.zip' }).error).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('an export interrupted by a crash', () => {
  const { dir, cleanup } = tempDir('memoryos-export-crash-');
  afterAll(cleanup);

  it('is marked failed at the next boot and its partial file removed', async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    const body = 'a paragraph that makes the export take a moment. '.repeat(40);
    for (let i = 0; i < 8; i++) {
      // big params go through a file, as a user would pass them (argv holds 128 KiB per argument; a call at most 4 MiB)
      const file = join(dir, `import-${i}.json`);
      writeFileSync(file, JSON.stringify({ space_id: 'personal:me', memories: Array.from({ length: 1000 }, (_, k) => ({ type: 'semantic', band: 'GREEN', title: `note ${i}-${k}`, body })) }));
      expect(cli(dir, ['call', 'memory.import', '@' + file]).code).toBe(0);
    }
    // kill -9 once it is writing; an export that finished first (a fast machine) is tried again
    let jobId = '';
    let out = '';
    for (let attempt = 0; ; attempt++) {
      const host = await serve(dir);
      out = join(dir, `crash-${attempt}.zip`);
      const started = await hostPost(host.port, host.token, { method: 'privacy.export', params: { out } });
      jobId = started.json.result.job.job_id;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const j = (await hostPost(host.port, host.token, { method: 'job.get', params: { job_id: jobId } })).json.result.job;
        if (j.status === 'running' && j.progress.done > 0) break;
        if (j.status !== 'queued' && j.status !== 'running') break;
        if (Date.now() > deadline) throw new Error('the export never started');
        await new Promise((r) => setTimeout(r, 20));
      }
      await host.stop('SIGKILL');
      if (existsSync(`${out}.partial`)) break; // killed while writing: what this test is about
      expect(attempt, 'the export finished before every kill').toBeLessThan(3);
    }
    const j = call(dir, 'job.get', { job_id: jobId }).job;
    expect(j).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});
