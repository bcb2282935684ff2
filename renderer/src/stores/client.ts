import type { ApiClient } from '../api/client';

/** The one API client of this window, set at startup by main.tsx (tests may set a fake). */
let current: ApiClient | null = null;

export function setClient(c: ApiClient): void {
  current = c;
}

export function api(): ApiClient {
  if (!current) throw new Error('API client used before connect()');
  return current;
}
