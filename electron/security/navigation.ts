import { isTrustedAppUrl } from './app-origin';

/** will-navigate: only within the app's own origin (the renderer is a single page; reloads stay). */
export function allowNavigation(url: string): boolean {
  return isTrustedAppUrl(url);
}

/** setWindowOpenHandler: no new windows, ever. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Permission requests (camera, notifications, geolocation, …): the app needs none. */
export function allowPermission(_permission: string): boolean {
  return false;
}
