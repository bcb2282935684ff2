import { ApiError } from '../shared/errors';

/** data_base64 in attachment.add and in attachment.get's answer: what fits a JSON call (the router takes 4 MiB of params; base64 is 4/3 of the bytes) */
export const INLINE_MAX_BYTES = 2 * 1024 * 1024;

const mib = (n: number): string => {
  const m = n / (1024 * 1024);
  return m >= 10 ? `${Math.round(m)} MB` : m >= 1 ? `${m.toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
};

/** A file over the attachment_max_bytes setting, in words a person reads. */
export function tooLarge(size: number, max: number, atLeast = false, field: 'path' | 'data_base64' = 'path'): ApiError {
  return new ApiError('INVALID_INPUT', `This file is ${atLeast ? 'more than ' : ''}${mib(size)}; files up to ${mib(max)} can be kept with a memory. The limit is the "largest attachment" setting.`, {
    reason: 'TOO_LARGE', field, size, max_bytes: max,
  });
}

export function tooLargeInline(size: number): ApiError {
  return new ApiError('INVALID_INPUT', `This file is ${mib(size)}: files over ${mib(INLINE_MAX_BYTES)} are not sent back inline. Pass "out" to save it to a file.`, {
    reason: 'TOO_LARGE_INLINE', field: 'out', size, max_bytes: INLINE_MAX_BYTES,
  });
}
