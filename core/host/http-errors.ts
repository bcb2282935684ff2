import type { ErrorCode } from '../shared/errors';

/** HTTP status for each API error code, so plain HTTP clients can branch without parsing. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400, UNKNOWN_METHOD: 404, NOT_FOUND: 404, FORBIDDEN: 403, LOCKED: 423, NO_VAULT: 409,
  VAULT_EXISTS: 409, BAD_CREDENTIALS: 401, CONFLICT: 409, UNAUTHORIZED: 401, BUSY: 503, INTERNAL: 500,
  TAMPERED: 409, CORRUPT: 422, RATE_LIMITED: 429,
};
