/** The one error type that crosses the API: code, message, details (see contracts/api/error.schema.json). */
export type ErrorCode =
  | 'INVALID_INPUT' | 'UNKNOWN_METHOD' | 'NOT_FOUND' | 'FORBIDDEN' | 'LOCKED' | 'NO_VAULT'
  | 'VAULT_EXISTS' | 'BAD_CREDENTIALS' | 'CONFLICT' | 'UNAUTHORIZED' | 'BUSY' | 'INTERNAL'
  /** a stored record disagrees with its authenticated source: refused, never resolved in favour of the plaintext */
  | 'TAMPERED'
  /** a stored record failed authentication: that record alone is unavailable */
  | 'CORRUPT'
  /** too many failed attempts: try again at details.retry_at */
  | 'RATE_LIMITED';

export class ApiError extends Error {
  constructor(public readonly code: ErrorCode, message: string, public readonly details: unknown = {}) {
    super(message);
    this.name = 'ApiError';
  }
  toJSON(): { error: { code: ErrorCode; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details ?? {} } };
  }
}

export const notFound = (what: string, id: string): ApiError => new ApiError('NOT_FOUND', `${what} not found`, { id });
export const invalid = (message: string, details: unknown = {}): ApiError => new ApiError('INVALID_INPUT', message, details);
