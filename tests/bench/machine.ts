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
