import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, isTrustedAppUrl } from '../../../electron/security/app-origin';
import { APP_CSP } from '../../../electron/security/csp';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE } from '../../../electron/ipc-channels';
import { isCallRequest, isTopic } from '../../../electron/security/ipc-payload';
import { isTrustedSender } from '../../../electron/security/ipc-sender';
import { allowNavigation, allowPermission, windowOpenDecision } from '../../../electron/security/navigation';
import { contentTypeOf, resolveAppPath } from '../../../electron/security/protocol-path';
import { canRememberUnlock } from '../../../electron/security/safe-storage-policy';
import { mainWindowOptions } from '../../../electron/security/window-options';

const ROOT = resolve('/srv/app/renderer/dist');

describe('trusted URL', () => {
  it('accepts only app://memoryos', () => {
    expect(isTrustedAppUrl(APP_ENTRY)).toBe(true);
    expect(isTrustedAppUrl('app://memoryos/assets/x.js?v=1#f')).toBe(true);
    for (const bad of ['https://memoryos/', 'file:///etc/passwd', 'app://evil/', 'app://memoryos.evil/', 'app://user:pw@memoryos/', 'app://memoryos:8080/', 'javascript:alert(1)', 'not a url', '']) {
      expect(isTrustedAppUrl(bad), bad).toBe(false);
    }
  });
});

describe('app:// path resolution', () => {
  it('maps app paths inside the renderer dist; / is index.html', () => {
    expect(resolveAppPath(ROOT, 'app://memoryos/')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://memoryos/assets/index-1.js')).toBe(join(ROOT, 'assets', 'index-1.js'));
    expect(resolveAppPath(ROOT, 'app://memoryos/a%20b.css')).toBe(join(ROOT, 'a b.css'));
  });
  it('refuses traversal, encoded traversal, NUL, backslashes, other hosts and schemes', () => {
    for (const bad of [
      'app://memoryos/../../etc/passwd', 'app://memoryos/%2e%2e/%2e%2e/etc/passwd', 'app://memoryos/assets/..%2f..%2f..%2fsecret',
      'app://memoryos/a%00.js', 'app://memoryos/..%5c..%5csecret', 'app://other/index.html', 'file://memoryos/index.html', 'app://memoryos/%E0%A4%A',
    ]) {
      const r = resolveAppPath(ROOT, bad);
      expect(r === null || (r.startsWith(ROOT + sep)), bad).toBe(true);
    }
    // the URL parser folds encoded dot segments at the root: the result stays inside the dist
    expect(resolveAppPath(ROOT, 'app://memoryos/%2e%2e/%2e%2e/etc/passwd')).toBe(join(ROOT, 'etc', 'passwd'));
    expect(resolveAppPath(ROOT, 'app://memoryos/a%00.js')).toBeNull();
    expect(resolveAppPath(ROOT, 'app://other/index.html')).toBeNull();
  });
  it('serves known types and nothing executable as HTML', () => {
    expect(contentTypeOf('x.js')).toMatch(/javascript/);
    expect(contentTypeOf('x.exe')).toBe('application/octet-stream');
  });
});

describe('window options', () => {
  it('follow the Electron security checklist', () => {
    const o = mainWindowOptions('/p/preload.js');
    expect(o.webPreferences).toMatchObject({
      preload: '/p/preload.js', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(o.minWidth).toBeLessThanOrEqual(1024);
    expect(o.minHeight).toBeLessThanOrEqual(700);
  });
});

describe('IPC sender check', () => {
  it('answers only the app origin top frame of our own window', () => {
    expect(isTrustedSender({ url: APP_ENTRY, isMainFrame: true, fromOurWindow: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, isMainFrame: false, fromOurWindow: true })).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY, isMainFrame: true, fromOurWindow: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true, fromOurWindow: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
  it('checks payload shapes before the router', () => {
    expect(isCallRequest('memory.list', {})).toBe(true);
    expect(isCallRequest('vault.changePassphrase', undefined)).toBe(true);
    expect(isCallRequest('__proto__', {})).toBe(false);
    expect(isCallRequest('memory.list', [])).toBe(false);
    expect(isCallRequest(42, {})).toBe(false);
    expect(isTopic('*')).toBe(true);
    expect(isTopic('UNDO_APPLIED')).toBe(true);
    expect(isTopic('undo; drop')).toBe(false);
  });
  it('the preload uses the same channel names as main', () => {
    const preload = readFileSync(resolve(__dirname, '../../../electron/preload.ts'), 'utf8');
    for (const ch of [IPC_CALL, IPC_SUBSCRIBE, IPC_EVENT]) expect(preload).toContain(`'${ch}'`);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });
});

describe('navigation, windows, permissions, CSP', () => {
  it('stays inside the app and grants nothing', () => {
    expect(allowNavigation('app://memoryos/index.html')).toBe(true);
    expect(allowNavigation('https://example.com/')).toBe(false);
    expect(allowNavigation('file:///etc/passwd')).toBe(false);
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(allowPermission(p)).toBe(false);
  });
  it('the CSP allows only self scripts and no network', () => {
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("connect-src 'none'");
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).not.toContain('unsafe-eval');
  });
});

describe('safeStorage policy', () => {
  it('remembers only where the OS keychain protects the secret', () => {
    expect(canRememberUnlock({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' })).toBe(false);
    expect(canRememberUnlock({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })).toBe(false);
    expect(canRememberUnlock({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' })).toBe(true);
    expect(canRememberUnlock({ platform: 'darwin', encryptionAvailable: true })).toBe(true);
    expect(canRememberUnlock({ platform: 'win32', encryptionAvailable: false })).toBe(false);
  });
});
