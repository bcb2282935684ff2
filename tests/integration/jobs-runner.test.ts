import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openTestApp, PASS, reopen } from '../helpers/app';

/**
 * A job is failed as interrupted at the next boot only when the process running it is gone: a
 * second process opening the same data directory (a one-shot CLI call beside a long import run
 * by another one-shot CLI process) leaves a job whose runner still lives alone.
 */
describe('jobs left running when another process opens the data directory', () => {
  it('a job whose runner is alive stays running; one whose runner died is failed INTERRUPTED', async () => {
    const t = await openTestApp();
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    try {
      const actor = t.app.ctx.keyring!.memberId;
      const now = Date.now();
      const put = t.app.ctx.db.prepare("INSERT INTO jobs (job_id, kind, status, actor, params, created_at, updated_at, runner_pid) VALUES (?, 'import', 'running', ?, '{}', ?, ?, ?)");
      put.run('01JD0000000000000000000AAA', actor, now, now, sleeper.pid);
      put.run('01JD0000000000000000000BBB', actor, now, now, deadPid);
      put.run('01JD0000000000000000000CCC', actor, now, now, null); // a row from before runners were recorded
      await t.app.close();
      const again = await reopen(t.dir);
      try {
        await again.call('vault.unlock', { passphrase: PASS });
        const get = async (id: string) => ((await again.call('job.get', { job_id: id })) as any).job;
        expect(await get('01JD0000000000000000000AAA')).toMatchObject({ status: 'running', error: null });
        expect(await get('01JD0000000000000000000BBB')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
        expect(await get('01JD0000000000000000000CCC')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
      } finally {
        await again.close();
      }
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(t.dir, { recursive: true, force: true });
    }
  }, 60_000);
});
