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

describe("npm start: better-sqlite3-multiple-ciphers for Electron's ABI", () => {
  const root = '/repo';
  const base = { root, electronVersion: '41.7.1', sqliteVersion: '12.11.1', platform: 'linux', arch: 'x64', env: {} };
  const cached = '/repo/node_modules/.cache/memoryos-electron/electron-41.7.1-linux-x64/better-sqlite3-multiple-ciphers-12.11.1';

  it('keeps one build per Electron version, better-sqlite3-multiple-ciphers version, platform and arch, outside node_modules/better-sqlite3-multiple-ciphers', () => {
    const c = start.electronSqliteCache(base);
    expect(c.dir).toBe(cached);
    expect(c.binding).toBe(`${cached}/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node`);
    expect(start.electronSqliteCache({ ...base, electronVersion: '42.0.0' }).dir).not.toBe(c.dir);
    expect(start.electronSqliteCache({ ...base, sqliteVersion: '12.12.0' }).dir).not.toBe(c.dir);
    expect(start.electronSqliteCache({ ...base, arch: 'arm64' }).dir).not.toBe(c.dir);
  });

  it('builds once, then reuses the build', () => {
    const first = start.electronSqlitePlan({ ...base, exists: () => false });
    expect(first).toMatchObject({ action: 'build', dir: cached, binding: start.electronSqliteCache(base).binding });
    const seen: string[] = [];
    const again = start.electronSqlitePlan({ ...base, exists: (p: string) => (seen.push(p), true) });
    expect(again).toMatchObject({ action: 'use', binding: first.binding });
    expect(seen).toEqual([first.binding]);
  });

  it('uses a binding named in MEMORYOS_SQLITE_BINDING as it is, and says why it cannot build', () => {
    expect(start.electronSqlitePlan({ ...base, env: { MEMORYOS_SQLITE_BINDING: '/x/b.node' }, exists: () => false })).toMatchObject({ action: 'use', binding: '/x/b.node' });
    expect(start.electronSqlitePlan({ ...base, electronVersion: null, exists: () => false })).toMatchObject({ action: 'fail', why: expect.stringMatching(/electron's version/) });
    expect(start.electronSqlitePlan({ ...base, sqliteVersion: null, exists: () => false })).toMatchObject({ action: 'fail', why: expect.stringMatching(/npm install/) });
  });

  it("gives node-gyp none of npm's config (nodedir would mean Node's headers), but keeps the proxy", () => {
    const env = start.rebuildEnv({ PATH: '/bin', HOME: '/h', npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0', npm_config_runtime: 'node', npm_config_https_proxy: 'http://p:3128', npm_config_cafile: '/ca.pem' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', npm_config_https_proxy: 'http://p:3128', npm_config_cafile: '/ca.pem' });
  });

  it('runs @electron/rebuild on the copy only: build path and project root are the scratch directory', () => {
    const inv = start.rebuildInvocation({ root, buildDir: '/scratch', electronVersion: '41.7.1', arch: 'x64', env: { npm_config_nodedir: '/usr', PATH: '/bin' } });
    expect(inv.command).toBe(process.execPath);
    expect(inv.args[0]).toBe('-e');
    expect(inv.args[2]).toBe('/repo/node_modules/@electron/rebuild');
    expect(JSON.parse(inv.args[3])).toEqual({ buildPath: '/scratch', projectRootPath: '/scratch', electronVersion: '41.7.1', arch: 'x64', onlyModules: ['better-sqlite3-multiple-ciphers'], force: true, mode: 'sequential' });
    expect(inv.options).toMatchObject({ cwd: '/scratch', env: { PATH: '/bin' } });
    expect(inv.options.env).not.toHaveProperty('npm_config_nodedir');
  });

  it('hands the binding and the data directory to Electron', () => {
    expect(start.electronEnv({ PATH: '/bin' }, { dataDir: '/d', sqliteBinding: '/b.node' })).toEqual({ PATH: '/bin', MEMORYOS_DATA_DIR: '/d', MEMORYOS_SQLITE_BINDING: '/b.node' });
  });
});
