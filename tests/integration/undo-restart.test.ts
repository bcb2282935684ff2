import { afterAll, describe, expect, it } from 'vitest';
import { call, cli, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Acceptance: a staged action survives a restart — SIGKILL the host before it is due, start
// again after it is due: committed exactly once.
describe('undo windows across a crash', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('commits an overdue staged share exactly once after kill -9', async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    call(dir, 'space.create', { kind: 'shared', name: 'Family' });
    call(dir, 'space.create', { kind: 'shared', name: 'Grandparents' });
    const m = call(dir, 'memory.create', { space_id: 'shared:family', type: 'procedural', band: 'AMBER', title: 'Spare key', body: 'Under the blue pot' });

    let host = await serve(dir);
    call(dir, 'settings.set', { settings: { undo_window_seconds: 3 } });
    const staged = call(dir, 'memory.share', { memory_id: m.memory.memory_id, target_space_id: 'shared:grandparents' });
    expect(staged.status).toBe('staged');
    const actionId = staged.pending.action_id;
    await host.stop('SIGKILL'); // before it is due

    await sleep(4000); // now it is overdue, and nothing is running
    expect(cli(dir, ['call', 'undo.list', '{"include_done":true}'], { MEMORYOS_PASSPHRASE: '' }).json.error.code).toBe('LOCKED');

    host = await serve(dir); // boot commits what is overdue
    const deadline = Date.now() + 10_000;
    let action: any;
    while (Date.now() < deadline) {
      action = call(dir, 'undo.list', { include_done: true }).actions.find((a: any) => a.action_id === actionId);
      if (action.status !== 'pending') break;
      await sleep(200);
    }
    expect(action.status).toBe('committed');
    await host.stop('SIGKILL');
    host = await serve(dir); // and a second restart commits nothing again
    await sleep(1500);
    await host.stop();

    const copies = call(dir, 'memory.list', { space_id: 'shared:grandparents' });
    expect(copies.total).toBe(1);
    expect(call(dir, 'memory.get', { memory_id: copies.memories[0].memory_id }).memory.body).toBe('Under the blue pot');
    const committed = call(dir, 'events.list', { topic: 'ACTION_COMMITTED' }).events.filter((e: any) => e.payload.action_id === actionId);
    expect(committed).toHaveLength(1);
    expect(committed[0].payload.outcome).toBe('committed');
    expect(call(dir, 'events.list', { topic: 'MEMORY_PROJECTED' }).events).toHaveLength(1);
  });

  it('commits a due action while running, and an undone one never', async () => {
    const host = await serve(dir, { MEMORYOS_TICK_MS: '200' });
    try {
      call(dir, 'settings.set', { settings: { undo_window_seconds: 2 } });
      const a = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'Keep' });
      const b = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'Bin' });
      const undoMe = call(dir, 'memory.delete', { memory_id: a.memory.memory_id }).pending.action_id;
      call(dir, 'memory.delete', { memory_id: b.memory.memory_id });
      call(dir, 'undo.apply', { action_id: undoMe });
      await sleep(3500);
      expect(call(dir, 'memory.get', { memory_id: a.memory.memory_id }).memory.deleted_at).toBeNull();
      expect(call(dir, 'memory.get', { memory_id: b.memory.memory_id }).memory.deleted_at).not.toBeNull();
    } finally {
      await host.stop();
    }
  });
});
