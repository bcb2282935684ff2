import type { App } from '../../core/app/app';
import { memoryAt } from './corpus';
import type { BenchSize } from './options';
import { cpuProfile, type ProfileSummary } from './cpu-profile';

// Extra memories for profiling are numbered far past the measured ones, so they are new bytes.
const PROFILE_OFFSET = 10_000_000;

/** Where the time of memory.import goes: two extra batches under the CPU profiler (after timing). */
export function profileImports(app: App, space: string, size: BenchSize): Promise<ProfileSummary> {
  const batches = [0, 1].map((b) => Array.from({ length: size.batch }, (_, k) => memoryAt(PROFILE_OFFSET + b * size.batch + k, size.n)));
  return cpuProfile(async () => {
    for (const items of batches) await app.call('memory.import', { space_id: space, memories: items });
  });
}

/** Where the time of memory.create goes: 300 extra single creates under the CPU profiler. */
export function profileCreates(app: App, space: string, size: BenchSize): Promise<ProfileSummary> {
  const items = Array.from({ length: 300 }, (_, j) => memoryAt(2 * PROFILE_OFFSET + j, size.n));
  return cpuProfile(async () => {
    for (const m of items) await app.call('memory.create', { space_id: space, ...m });
  });
}

/** Where unlock → searchable goes (Argon2id, read model decryption, FTS build): lock, then unlock under the profiler. */
export async function profileUnlock(app: App, passphrase: string): Promise<ProfileSummary> {
  await app.call('vault.lock', {});
  return cpuProfile(async () => {
    await app.call('vault.unlock', { passphrase });
  });
}
