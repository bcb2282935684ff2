import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';

/**
 * electron-builder.yml is checked here because it cannot be exercised on this machine
 * (electron-builder downloads Electron to package). It is parsed with the js-yaml that
 * electron-builder itself loads (resolved from app-builder-lib, not whichever copy is
 * hoisted) and validated with ajv against electron-builder's own schema,
 * node_modules/app-builder-lib/scheme.json (draft-07).
 */
const ROOT = join(__dirname, '..', '..');
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const schema = builderRequire('./scheme.json') as { $schema: string };

type Config = Record<string, unknown> & {
  linux: { target: unknown[] }; mac: { target: unknown[] }; win: { target: unknown[] };
  files: string[]; asarUnpack: string[]; npmRebuild?: boolean; appId: string; productName: string;
};
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const errorsOf = (c: unknown): string[] =>
  validate(c) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

const targetNames = (targets: unknown[]): string[] =>
  targets.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));

describe('electron-builder.yml', () => {
  it('is checked against a draft-07 schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it("validates against electron-builder's scheme.json", () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('fails validation when broken: an unknown key, a wrong type, a misspelt nested option', () => {
    expect(errorsOf({ ...config, asarUnpak: ['**/*.node'] }).join('\n')).toMatch(/additional properties.*asarUnpak/);
    expect(errorsOf({ ...config, npmRebuild: 'yes' }).join('\n')).toMatch(/\/npmRebuild must be boolean/);
    expect(errorsOf({ ...config, linux: { ...config.linux, targt: ['deb'] } }).join('\n')).toMatch(/\/linux.*targt/s);
    expect(errorsOf({ ...config, files: 42 })).not.toEqual([]);
  });

  it("passes electron-builder's own configuration check", async () => {
    // what `electron-builder` runs first on the loaded config (its own validator and deprecation checks)
    const { validateConfiguration } = builderRequire('./out/util/config/config') as {
      validateConfiguration(c: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    // its error object carries the whole schema: keep only the message, so a failure stays readable
    const problem = (c: unknown) => validateConfiguration(c, { isEnabled: false, add() {} }).then(() => null, (e: Error) => String(e.message));
    expect(await problem(config)).toBeNull();
    expect(await problem({ ...config, mac: { ...config.mac, targets: ['dmg'] } })).toMatch(/unknown property 'targets'/);
  });

  it('names the app and builds AppImage + deb, dmg, nsis', () => {
    expect(config.productName).toBe('MemoryOS');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i);
    expect(targetNames(config.linux.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.mac.target)).toEqual(['dmg']);
    expect(targetNames(config.win.target)).toEqual(['nsis']);
  });

  it('unpacks native addons from the asar and rebuilds them for Electron', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.asarUnpack.some((p) => p.startsWith('node_modules/better-sqlite3-multiple-ciphers/build'))).toBe(true);
    expect(config.npmRebuild ?? true).toBe(true);
  });

  it('packs what the app reads at runtime, and the entry point package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.js');
    for (const pattern of ['package.json', 'dist/core/**/*.js', 'dist/electron/**/*.js', 'contracts/**/*.json', 'core/store/migrations/*.sql', 'renderer/dist/**/*']) {
      expect(config.files).toContain(pattern);
    }
    // electron is an optionalDependency: its package (and downloaded binary) must not be packed
    expect(config.files).toContain('!node_modules/electron{,/**/*}');
  });
});

describe('package.json: install scripts', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    allowScripts: Record<string, boolean>; scripts: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
  };

  it('covers every dependency with an install script in allowScripts, allowing only what the app needs', () => {
    const withScripts = [...new Set(Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)))].sort();
    // an entry per package (name-only: this machine's lockfile has no "resolved" URLs to pin against)
    expect(Object.keys(pkg.allowScripts).sort()).toEqual(withScripts);
    expect(Object.entries(pkg.allowScripts).filter(([, ok]) => ok).map(([name]) => name).sort()).toEqual(['better-sqlite3-multiple-ciphers', 'electron', 'esbuild']);
  });

  it('builds the core and the renderer on install', () => {
    expect(pkg.scripts.prepare).toMatch(/npm run build\b/);
    expect(pkg.scripts.prepare).toMatch(/npm run build:renderer\b/);
  });
});
