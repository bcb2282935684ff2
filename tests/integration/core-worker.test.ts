import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../contracts/types';
import { CoreWorkerClient } from '../../core/worker/client';
import { PASSPHRASE, ROOT, call, cli, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/sync';

const WORKER = join(ROOT, 'dist', 'core', 'worker', 'main.js');

/** The compiled core worker, forked by plain Node exactly as Electron main forks it with utilityProcess. */
function startWorker(dataDir: string, env: Record<string, string> = {}): { child: ChildProcess; core: CoreWorkerClient } {
  const child = fork(WORKER, [], { env: { ...process.env, MEMORYOS_DATA_DIR: dataDir, MEMORYOS_SYNC_HOST: '127.0.0.1', MEMORYOS_SYNC_AUTOCONNECT: '0', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const core = new CoreWorkerClient({ post: (m) => child.send(m), onMessage: (fn) => child.on('message', fn) });
  child.on('exit', () => core.gone());
  return { child, core };
}

describe('the core worker (the process Electron runs the core in), over its message protocol', () => {
  const { dir, cleanup } = tempDir();
  afterAll(() => cleanup());

  it('runs the new-user flow, delivers events live, runs sync as serve does, and closes cleanly', async () => {
    const { child, core } = startWorker(dir);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const ready = await core.ready;
    expect(ready).toMatchObject({ data_dir: dir, unlocked: false, sync: { running: false } });

    const events: Envelope[] = [];
    const unsubscribe = core.subscribe('*', (e) => events.push(e));
    const created = (await core.call('vault.create', { passphrase: PASSPHRASE, name: 'Ana' })) as { personal_space_id: string };
    await core.call('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const m = (await core.call('memory.create', { space_id: created.personal_space_id, type: 'semantic', band: 'AMBER', title: 'Allergies', body: 'Leo: peanuts' })) as { memory: { memory_id: string } };

    // search through the worker
    const hits = ((await core.call('memory.search', { query: 'peanuts' })) as { hits: { memory_id: string }[] }).hits;
    expect(hits.map((h) => h.memory_id)).toEqual([m.memory.memory_id]);

    // an AMBER share waits in the undo window; undo takes it back
    const share = (await core.call('memory.share', { memory_id: m.memory.memory_id, target_space_id: 'shared:family', consent: true })) as { status: string; pending: { action_id: string } };
    expect(share.status).toBe('staged');
    const pending = ((await core.call('undo.list', {})) as { actions: { action_id: string }[] }).actions;
    expect(pending.map((a) => a.action_id)).toEqual([share.pending.action_id]);
    await core.call('undo.apply', { action_id: share.pending.action_id });
    expect(((await core.call('undo.list', {})) as { actions: unknown[] }).actions).toEqual([]);

    // events arrived live, signed envelopes, in order
    await waitFor('the undo event', () => events.some((e) => e.topic.startsWith('UNDO_APPLIED@')));
    const topics = events.map((e) => e.topic.split('@')[0]);
    expect(topics).toEqual(expect.arrayContaining(['VAULT_STATE_CHANGED', 'SPACE_CREATED', 'HIPPO_ENCODE', 'UNDO_WINDOW_OPENED', 'UNDO_APPLIED']));
    expect(topics.indexOf('HIPPO_ENCODE')).toBeLessThan(topics.indexOf('UNDO_WINDOW_OPENED'));
    unsubscribe();

    // errors cross the protocol as the same structured ApiError
    await expect(core.call('memory.get', { memory_id: '01JD0000000000000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.call('no.such', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });

    // the worker assembles the app as `memoryos serve` does: sync runs once the vault is open
    const st = (await core.call('sync.status', {})) as { running: boolean; listening: { port: number } | null };
    expect(st.running).toBe(true);
    expect(st.listening?.port).toBeGreaterThan(0);

    await core.close();
    expect(await exited).toBe(0);
    // nothing it acknowledged is lost: a fresh worker on the same directory finds it after unlock
    const again = startWorker(dir);
    await again.core.ready;
    await again.core.call('vault.unlock', { passphrase: PASSPHRASE });
    const got = (await again.core.call('memory.get', { memory_id: m.memory.memory_id })) as { memory: { body: string } };
    expect(got.memory.body).toBe('Leo: peanuts');
    await again.core.close();
  });

  it('answers nothing but the protocol, and reports a start it cannot make', async () => {
    const { child, core } = startWorker(dir);
    await core.ready;
    child.send({ t: 'call', id: 'x', method: 'vault.status' }); // not a protocol message: ignored
    child.send({ hello: 1 });
    expect(await core.call('vault.status', {})).toMatchObject({ exists: true, unlocked: false });
    await core.close();

    // a data directory it cannot open: fatal, and a non-zero exit
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const bad = startWorker(file);
    const code = new Promise<number | null>((r) => bad.child.on('exit', (c) => r(c)));
    await expect(bad.core.ready).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await code).toBe(1);
  });

  it('every door assembles the app the same way: openApp(appOptionsFrom(env, data dir, role))', () => {
    const doors = ['core/cli/main.ts', 'core/worker/main.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8'));
    for (const src of doors) expect(src).toMatch(/appOptionsFrom\(process\.env, [a-zA-Z.]+, '(host|one-shot)'\)/);
    expect(doors[0]).toMatch(/openApp\(appOptionsFrom\(process\.env, args\.dataDir, 'host'\)\)/); // serve
    expect(doors[1]).toMatch(/appOptionsFrom\(process\.env, dataDir, 'host'\)/); // the worker
  });

  it('takes the single-writer lock (a CLI call goes through it, a second host is refused), or becomes the client of the host that holds it', async () => {
    const own = tempDir('memoryos-worker-lock-');
    try {
      const { child, core } = startWorker(own.dir);
      await core.ready;
      await core.call('vault.create', { passphrase: PASSPHRASE, name: 'Ana' });
      const lock = JSON.parse(readFileSync(join(own.dir, 'host.lock'), 'utf8'));
      expect(lock.pid).toBe(child.pid);
      // a terminal's CLI call goes through the worker's host: it sees what the worker wrote
      const m = (await core.call('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'from the app', body: 'x' })) as { memory: { memory_id: string } };
      expect(call(own.dir, 'memory.get', { memory_id: m.memory.memory_id }).memory.title).toBe('from the app');
      // a second host on the same data directory is refused
      const second = cli(own.dir, ['serve', '--port', '0'], { MEMORYOS_SYNC: '0' });
      expect(second.code).toBe(2);
      expect(second.json.error.code).toBe('BUSY');
      await core.close();
    } finally { own.cleanup(); }

    // a host already holds the directory: the worker becomes its client instead of opening the database
    const other = tempDir('memoryos-worker-client-');
    try {
      expect(cli(other.dir, ['init', '--name', 'Ana']).code).toBe(0);
      const host = await serve(other.dir, { MEMORYOS_SYNC: '0' });
      try {
        const { core } = startWorker(other.dir);
        const status = await core.ready;
        expect(status.unlocked).toBe(true);
        const seen: string[] = [];
        core.subscribe('HIPPO_ENCODE', (e) => seen.push(e.topic));
        await new Promise((r) => setTimeout(r, 200));
        const made = (await core.call('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'through the host', body: 'y' })) as { memory: { memory_id: string } };
        expect(call(other.dir, 'memory.get', { memory_id: made.memory.memory_id }).memory.title).toBe('through the host');
        await waitFor('the event through the host', () => seen.length > 0);
        expect(JSON.parse(readFileSync(join(other.dir, 'host.lock'), 'utf8')).pid).toBe(host.proc.pid);
        await core.close();
      } finally { await host.stop(); }
    } finally { other.cleanup(); }
  }, 90_000);
});
