import type { ApiError as ApiErrorBody, Reason } from '../../../contracts/types';

export type ErrorCode = ApiErrorBody['error']['code'] | 'TRANSPORT';

/** A failed call as the renderer sees it: the contract's error shape, plus transport failures. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }

  /** Policy reasons of a FORBIDDEN (a DENY decision), empty for other errors. */
  get reasons(): Reason[] {
    const d = this.details as { reasons?: unknown } | null;
    return Array.isArray(d?.reasons) ? (d!.reasons as Reason[]) : [];
  }

  static from(body: unknown): ApiCallError {
    const e = (body as Partial<ApiErrorBody> | null)?.error;
    if (e && typeof e.code === 'string') return new ApiCallError(e.code, String(e.message ?? e.code), e.details ?? null);
    return new ApiCallError('TRANSPORT', 'malformed error from the host');
  }
}

/** One line a person can read, for any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof ApiCallError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
