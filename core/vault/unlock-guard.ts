import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';
import { iso } from '../shared/time';
import { vaultTable, type VaultRow } from '../store/tables/vault';

/** Failed attempts allowed in a row before each further one waits. */
export const FREE_ATTEMPTS = 4;
const MAX_DELAY_MS = 15 * 60_000;

/** The wait after `failures` failed attempts in a row: none for the first few, then 1 s, 2 s, 4 s … up to 15 minutes. */
export function delayAfter(failures: number): number {
  return failures <= FREE_ATTEMPTS ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS - 1));
}

/** An attempt made before the delay ran out is not tried at all (no Argon2id run): RATE_LIMITED. */
export function checkUnlockAllowed(ctx: Ctx, row: VaultRow): void {
  const now = ctx.clock.now();
  if (row.unlock_not_before && now < row.unlock_not_before) {
    throw new ApiError('RATE_LIMITED', `too many wrong attempts: try again in ${Math.ceil((row.unlock_not_before - now) / 1000)} s`, {
      retry_at: iso(row.unlock_not_before), failed_attempts: row.failed_unlocks,
    });
  }
}

/** A failed attempt counts, persisted (a restart does not reset it). */
export function recordFailedUnlock(ctx: Ctx, row: VaultRow): void {
  const failures = row.failed_unlocks + 1;
  const wait = delayAfter(failures);
  ctx.uow.run(() => vaultTable.setUnlockGuard(ctx.db, failures, wait ? ctx.clock.now() + wait : null));
  ctx.metrics.inc('memoryos_unlock_failures_total');
}

export function recordGoodUnlock(ctx: Ctx, row: VaultRow): void {
  if (row.failed_unlocks || row.unlock_not_before) ctx.uow.run(() => vaultTable.setUnlockGuard(ctx.db, 0, null));
}

/** What vault.status says of it. */
export function unlockGuardStatus(ctx: Ctx, row: VaultRow | undefined): { failed_attempts: number; retry_at: string | null } {
  const blocked = row?.unlock_not_before && row.unlock_not_before > ctx.clock.now() ? row.unlock_not_before : null;
  return { failed_attempts: row?.failed_unlocks ?? 0, retry_at: blocked ? iso(blocked) : null };
}
