import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';

export interface Machine { cpu: string; cores: number; ram_gb: number; node: string; os: string; tmpdir: string; load_avg_at_start: number[] }

/** What the figures were measured on: they mean little without it. */
export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try { cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu; } catch { /* not Linux */ }
  return {
    cpu, cores: cpus().length, ram_gb: Math.round(totalmem() / 2 ** 30 * 10) / 10, node: process.version,
    os: `${process.platform} ${release()}`, tmpdir: tmpdir(), load_avg_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Which code was measured: the commit, and whether core/ or contracts/ had uncommitted changes (read-only git calls). */
export function codeVersion(root: string): { commit: string; dirty_core_files: number } {
  const git = (...a: string[]) => spawnSync('git', a, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  return { commit: git('rev-parse', '--short', 'HEAD') || 'unknown', dirty_core_files: git('status', '--porcelain', '--', 'core', 'contracts').split('\n').filter(Boolean).length };
}
