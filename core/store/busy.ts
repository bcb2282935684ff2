import { ApiError } from '../shared/errors';

/** SQLite's "another connection holds the lock" (after busy_timeout): SQLITE_BUSY and its extended codes. */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

/** What a busy database answers: a structured BUSY the CLI retries, never INTERNAL. */
export const busyError = (): ApiError => new ApiError('BUSY', 'the database is busy: another process is writing to this data directory; try again', { retry: true });
