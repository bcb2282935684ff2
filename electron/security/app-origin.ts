/**
 * The renderer is served from a custom privileged scheme instead of file://, so it has a real
 * origin (app://memoryos) that CSP 'self', navigation checks and IPC sender checks can pin.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'memoryos';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** True only for URLs of the app's own origin: app://memoryos/... (no credentials, no port). */
export function isTrustedAppUrl(raw: string): boolean {
  let u: URL;
  try { u = new URL(raw); } catch { return false; }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}
