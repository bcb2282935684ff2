import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, call, cli, PASSPHRASE, ROOT, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { filesUnder } from '../helpers/disk-scan';
import { openVaultDb, vaultDbKey } from '../helpers/vault-db';
import { keyDatabase, PAGE_CIPHER, pageCipherOf } from '../../core/store/database';

/** Issue 11: nothing readable in a stolen data directory; an earlier release's directory converts, crash-safely. */

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

describe('the data directory at rest', () => {
  const { dir, cleanup } = tempDir('memoryos-at-rest-');
  afterAll(cleanup);

  it('after vault.lock: no file is a SQLite database, and no name, slug or content is in any file; it unlocks and searches', async () => {
    expect(cli(dir, ['init', '--name', 'Philippa Quartermaine']).code).toBe(0);
    const host = await serve(dir, { MEMORYOS_SYNC: '0' });
    try {
      const space = call(dir, 'space.create', { kind: 'extended', name: 'Wolverhampton Cousins' }).space;
      expect(space.space_id).toBe('extended:wolverhampton-cousins');
      const leo = call(dir, 'member.create', { name: 'Bartholomew' }).member.member_id;
      call(dir, 'space.addMember', { space_id: space.space_id, member_id: leo, role: 'child' });
      for (const band of ['GREEN', 'AMBER', 'RED']) {
        call(dir, 'memory.create', { space_id: space.space_id, type: 'episodic', band, title: `zanzibar ${band}`, body: `quokka sandcastle ${band}`, tags: ['marmalade'], people: ['Grandma Ottoline'], places: ['Llandudno'] });
      }
      call(dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'BLACK', title: 'zanzibar diary', body: 'quokka secret' });
      expect(call(dir, 'vault.lock').ok).toBe(true);
      // locked: the host answers what the header holds, and nothing that reads the database
      const status = call(dir, 'vault.status');
      expect(status).toMatchObject({ exists: true, unlocked: false, member_id: null, member_name: null });
      const words = ['Philippa', 'Quartermaine', 'Wolverhampton', 'wolverhampton-cousins', 'Bartholomew', 'zanzibar', 'quokka', 'sandcastle', 'marmalade', 'Ottoline', 'Llandudno'];
      const all = filesUnder(dir);
      expect(all.map((f) => f.slice(dir.length + 1))).toContain('memoryos.db');
      for (const f of all) {
        const bytes = readFileSync(f);
        expect(bytes.subarray(0, 16).equals(SQLITE_MAGIC), `${f} begins with the SQLite header`).toBe(false);
        for (const w of words) {
          for (const enc of ['utf8', 'utf16le'] as const) expect(bytes.includes(Buffer.from(w, enc)), `${f} holds "${w}" (${enc})`).toBe(false);
        }
      }
    } finally {
      await host.stop();
    }
    // and the files the host leaves when it stops are just as opaque
    for (const f of filesUnder(dir)) expect(readFileSync(f).includes(Buffer.from('Wolverhampton')), f).toBe(false);
    expect(call(dir, 'memory.search', { query: 'quokka' }).hits.length).toBe(4);
    expect(call(dir, 'space.list').spaces.map((s: any) => s.name)).toContain('Wolverhampton Cousins');
  }, 120_000);
});

/**
 * A data directory under this round's first page cipher (ChaCha20-Poly1305, the header saying so),
 * made from the release fixture: converted by the current build, then re-keyed back to ChaCha20
 * pages with the same raw key the earlier code set (PRAGMA cipher = 'chacha20', key = x'…').
 */
function chacha20Directory(from: string, to: string): void {
  expect(call(from, 'memory.list', { space_id: 'personal:me' }).memories.length).toBe(4);
  const db = openVaultDb(from);
  db.pragma('journal_mode = DELETE');
  keyDatabase(db, vaultDbKey(from), 'chacha20', 'rekey');
  db.close();
  expect(pageCipherOf(join(from, 'memoryos.db'), vaultDbKey(from))).toBe('chacha20');
  const header = JSON.parse(readFileSync(join(from, 'vault.header'), 'utf8'));
  header.database.cipher = 'chacha20';
  mkdirSync(to, { recursive: true });
  writeFileSync(join(to, 'vault.header'), JSON.stringify(header, null, 2) + '\n');
  copyFileSync(join(from, 'memoryos.db'), join(to, 'memoryos.db'));
}

describe.for([
  { earlier: 'a plaintext data directory of the previous release', cipher: null },
  { earlier: "a data directory under ChaCha20 pages (this round's first encrypted format)", cipher: 'chacha20' },
] as const)('$earlier', ({ cipher }) => {
  const cleanups: (() => void)[] = [];
  afterAll(() => { for (const c of cleanups) c(); });
  const plaintext = () => {
    const t = tempDir('memoryos-convert-');
    cleanups.push(t.cleanup);
    mkdirSync(t.dir, { recursive: true });
    copyFileSync(join(ROOT, 'tests', 'fixtures', 'release-0.1.0', 'memoryos.db'), join(t.dir, 'memoryos.db'));
    return t.dir;
  };
  let template: string | null = null;
  const fixture = () => {
    if (!cipher) return plaintext();
    if (!template) { const t = tempDir('memoryos-chacha20-'); cleanups.push(t.cleanup); template = t.dir; chacha20Directory(plaintext(), template); }
    const t = tempDir('memoryos-convert-');
    cleanups.push(t.cleanup);
    mkdirSync(t.dir, { recursive: true });
    for (const f of ['vault.header', 'memoryos.db']) copyFileSync(join(template, f), join(t.dir, f));
    return t.dir;
  };
  const everythingReads = (dir: string) => {
    const list = call(dir, 'memory.list', { space_id: 'personal:me' }).memories;
    expect(list.map((m: any) => m.band).sort()).toEqual(['AMBER', 'BLACK', 'GREEN', 'RED']);
    for (const m of list) expect(call(dir, 'memory.get', { memory_id: m.memory_id }).memory.body).toBe(`canary-body-${m.band} the old release wrote this`);
    expect(call(dir, 'memory.search', { query: 'canary' }).hits.length).toBe(5);
  };
  const encryptedAndClean = (dir: string) => {
    expect(readFileSync(join(dir, 'memoryos.db')).subarray(0, 16).equals(SQLITE_MAGIC)).toBe(false);
    expect(readdirSync(dir).filter((f) => /\.(plaintext|encrypting|converting)$/.test(f))).toEqual([]);
    for (const f of filesUnder(dir)) expect(readFileSync(f).includes(Buffer.from('Grandparents')), f).toBe(false);
    // the pages are under the current cipher, and the header says so
    expect(pageCipherOf(join(dir, 'memoryos.db'), vaultDbKey(dir))).toBe(PAGE_CIPHER);
    expect(JSON.parse(readFileSync(join(dir, 'vault.header'), 'utf8')).database.cipher).toBe(PAGE_CIPHER);
  };

  it('is encrypted in place at its first unlock, and reads back whole', () => {
    const dir = fixture();
    expect(call(dir, 'vault.status').exists).toBe(true); // the header is taken from the plaintext database at boot
    everythingReads(dir);
    encryptedAndClean(dir);
  });

  it.for(['wal-removed', 'copied', 'rekeyed', 'moved-aside', 'renamed'])('a kill -9 at "%s" loses nothing: the next unlock finishes the conversion', (step) => {
    const dir = fixture();
    const r = spawnSync(process.execPath, [BIN, '--data-dir', dir, 'call', 'memory.list', '{}'], {
      encoding: 'utf8', env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE, MEMORYOS_TEST_CRASH_AT: step }, timeout: 60_000,
    });
    expect(r.signal, r.stdout + r.stderr).toBe('SIGKILL');
    everythingReads(dir);
    encryptedAndClean(dir);
  });

  it('four processes unlocking it at once: one converts, the others wait, every call answers', async () => {
    const dir = fixture();
    const run = () => new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, '--data-dir', dir, 'call', 'memory.list', '{"space_id":"personal:me"}'], { env: { ...process.env, MEMORYOS_PASSPHRASE: PASSPHRASE } });
      let out = '';
      p.stdout.on('data', (d) => { out += d; });
      p.stderr.on('data', (d) => { out += d; });
      p.on('exit', (code) => resolve({ code, out }));
    });
    const results = await Promise.all([run(), run(), run(), run()]);
    for (const r of results) {
      expect(r.code, r.out).toBe(0);
      expect(JSON.parse(r.out).memories.length).toBe(4);
    }
    everythingReads(dir);
    encryptedAndClean(dir);
  }, 120_000);
});
