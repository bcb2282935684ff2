/**
 * The local host's bearer token reaches the browser in the URL fragment (#token=...), which the
 * browser never sends to a server and the host never logs. It moves into sessionStorage (this tab
 * only, gone when the tab closes) and the fragment is cleared so it is not left in the address
 * bar, history or a screenshot.
 */
const KEY = 'memoryos.token';

export interface TokenEnv {
  hash: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  clearHash(): void;
}

export function parseTokenFragment(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const value = new URLSearchParams(h).get('token');
  return value && /^(s\.)?[A-Za-z0-9_-]{16,200}$/.test(value) ? value : null;
}

export function takeLoginToken(env: TokenEnv): string | null {
  const fromUrl = parseTokenFragment(env.hash);
  if (fromUrl) {
    env.storage.setItem(KEY, fromUrl);
    env.clearHash();
    return fromUrl;
  }
  return env.storage.getItem(KEY);
}

export function browserTokenEnv(): TokenEnv {
  return {
    hash: window.location.hash,
    storage: window.sessionStorage,
    clearHash: () => window.history.replaceState(null, '', window.location.pathname + window.location.search),
  };
}

/** A profile switch gave this tab a new session token: a reload or reconnect presents it, the old one is gone. */
export function rememberLoginToken(storage: Pick<Storage, 'setItem'>, token: string): void {
  storage.setItem(KEY, token);
}
