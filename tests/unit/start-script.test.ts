import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const start = require('../../scripts/start.js') as typeof import('../../scripts/start.js');

describe('npm start: Electron or browser', () => {
  const withDisplay = { DISPLAY: ':0' };
  it('says why it is not Electron', () => {
    const missing = Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    expect(start.electronUnavailableReason({ env: withDisplay, loadElectron: () => { throw missing; } })).toMatch(/not installed/);
    expect(start.electronUnavailableReason({ env: withDisplay, loadElectron: () => { throw new Error('Electron failed to install correctly'); } })).toMatch(/binary was not downloaded/);
    expect(start.electronUnavailableReason({ env: withDisplay, loadElectron: () => '/nonexistent/electron' })).toMatch(/missing/);
    expect(start.electronUnavailableReason({ env: {}, platform: 'linux', loadElectron: () => process.execPath })).toMatch(/no display/);
    expect(start.electronUnavailableReason({ env: withDisplay, argv: ['--browser'], loadElectron: () => process.execPath })).toMatch(/--browser/);
  });
  it('uses Electron when its binary and a display are there', () => {
    expect(start.electronUnavailableReason({ env: withDisplay, platform: 'linux', loadElectron: () => process.execPath })).toBeNull();
  });
  it('parses --data-dir and --port', () => {
    const a = start.parseArgs(['--data-dir', '/tmp/x', '--port=9'], {});
    expect(a).toEqual({ dataDir: '/tmp/x', port: 9 });
  });
});
