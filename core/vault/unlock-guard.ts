import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';
import { iso } from '../shared/time';
import { writeHeader, type VaultHeader } from './header';

/** Failed attempts allowed in a row before each further one waits. */
export const FREE_ATTEMPTS = 4;
const MAX_DELAY_MS = 15 * 60_000;

/** The wait after `failures` failed attempts in a row: none for the first few, then 1 s, 2 s, 4 s … up to 15 minutes. */
export function delayAfter(failures: number): number {
  return failures <= FREE_ATTEMPTS ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS - 1));
}

/** An attempt made before the delay ran out is not tried at all (no Argon2id run): RATE_LIMITED. */
export function checkUnlockAllowed(ctx: Ctx, h: VaultHeader): void {
  const now = ctx.clock.now();
  const notBefore = h.unlock.not_before;
  if (notBefore && now < notBefore) {
    throw new ApiError('RATE_LIMITED', `too many wrong attempts: try again in ${Math.ceil((notBefore - now) / 1000)} s`, {
      retry_at: iso(notBefore), failed_attempts: h.unlock.failed,
    });
  }
}

/** A failed attempt counts, persisted in the vault header (a locked vault has no database open; a restart does not reset it). */
export function recordFailedUnlock(ctx: Ctx, h: VaultHeader): void {
  const failures = h.unlock.failed + 1;
  const wait = delayAfter(failures);
  h.unlock = { failed: failures, not_before: wait ? ctx.clock.now() + wait : null };
  writeHeader(ctx.dataDir, h);
  ctx.metrics.inc('memoryos_unlock_failures_total');
}

export function recordGoodUnlock(ctx: Ctx, h: VaultHeader): void {
  if (h.unlock.failed || h.unlock.not_before) {
    h.unlock = { failed: 0, not_before: null };
    writeHeader(ctx.dataDir, h);
  }
}

/** What vault.status says of it. */
export function unlockGuardStatus(ctx: Ctx, h: VaultHeader | null): { failed_attempts: number; retry_at: string | null } {
  const notBefore = h?.unlock.not_before ?? null;
  const blocked = notBefore && notBefore > ctx.clock.now() ? notBefore : null;
  return { failed_attempts: h?.unlock.failed ?? 0, retry_at: blocked ? iso(blocked) : null };
}
