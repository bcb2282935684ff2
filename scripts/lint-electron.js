#!/usr/bin/env node
'use strict';
/**
 * `npm run lint:electron`: @doyensec/electronegativity over electron/, failing on any finding
 * above LOW severity (and on files it could not parse).
 *
 * Runs its programmatic API rather than its CLI: the CLI breaks with the hoisted commander
 * (it does not declare its own), and both would fetch translations from the network at start,
 * which this machine and CI do not have — so that one request is answered locally with a refusal.
 */
const Module = require('node:module');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const pkgDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
for (const from of ['dist/locales', 'dist/finder/checks/GlobalChecks']) {
  const gotPath = require.resolve('got', { paths: [join(pkgDir, from)] });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
}
// its "could not retrieve translations" line is expected offline: keep the output about findings
const log = console.log;
console.log = (...a) => { if (!String(a[0]).startsWith('Could not retrieve updated translations')) log(...a); };
void Module;

const run = require(join(pkgDir, 'dist', 'runner.js'));
const electronVersion = (() => { try { return require('electron/package.json').version; } catch { return '41.0.0'; } })();

run({
  input: join(ROOT, 'electron'),
  isRelative: true,
  isVerbose: true,
  customScan: [],
  // it compares the Electron version with the newest releases online: no network here or in CI
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: [],
}, false).then((r) => {
  const above = r.issues.filter((i) => i.severity.value > 1); // 0 informational, 1 low, 2 medium, 3 high
  const fatal = r.errors.filter((e) => !e.tolerable);
  for (const i of r.issues) {
    log(`${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(9)} ${i.id}  ${i.file}:${i.location.line}  ${i.manualReview ? '(review) ' : ''}${i.description}`);
  }
  for (const e of r.errors) log(`${e.tolerable ? 'warning' : 'ERROR'}  ${e.file}: ${e.message}`);
  log(`electronegativity: ${r.atomicChecks} atomic + ${r.globalChecks} global checks, ${r.issues.length} finding(s), ${above.length} above LOW, ${fatal.length} parse error(s)`);
  process.exit(above.length || fatal.length ? 1 : 0);
}, (e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(2);
});
