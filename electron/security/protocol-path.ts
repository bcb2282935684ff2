import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps an app:// request URL to a file inside root, or null. Refuses other schemes and hosts,
 * undecodable or NUL-carrying paths, and anything that resolves outside root (../, encoded
 * %2e%2e%2f, backslashes on Windows, absolute paths). "/" is index.html.
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let u: URL;
  try { u = new URL(requestUrl); } catch { return null; }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try { path = decodeURIComponent(u.pathname); } catch { return null; }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const full = resolve(base, '.' + path);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}
