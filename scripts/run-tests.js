#!/usr/bin/env node
'use strict';
// `npm test`: build, run every suite (vitest; Playwright e2e when the project has it), and end
// with one plain line "N passed, N failed[, N skipped]" covering all of them.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const results = join(root, 'test-results');
const scripts = require(join(root, 'package.json')).scripts || {};
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1;
const readJson = (f) => { try { return JSON.parse(readFileSync(f, 'utf8')); } catch { return null; } };

let passed = 0, failed = 0, skipped = 0;
const suites = [];

rmSync(join(results, 'vitest.json'), { force: true });
rmSync(join(results, 'e2e.json'), { force: true });

if (run('npm', ['run', '--silent', 'build']) !== 0) {
  failed++;
  suites.push('build failed');
} else {
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
  const v = readJson(join(results, 'vitest.json'));
  if (v) {
    passed += v.numPassedTests; failed += v.numFailedTests; skipped += (v.numPendingTests || 0) + (v.numTodoTests || 0);
    // a file that fails outside any test still fails the run
    const brokenFiles = (v.testResults || []).filter((f) => f.status === 'failed' && !(f.assertionResults || []).some((a) => a.status === 'failed')).length;
    failed += brokenFiles;
    suites.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests + brokenFiles} failed`);
  } else if (code !== 0) { failed++; suites.push('vitest crashed'); }

  if (scripts['test:e2e']) {
    const ecode = run('npm', ['run', '--silent', 'test:e2e']);
    const e = readJson(join(results, 'e2e.json'));
    if (e && e.stats) {
      const ep = (e.stats.expected || 0) + (e.stats.flaky || 0);
      const ef = (e.stats.unexpected || 0) + ((e.errors || []).length ? 1 : 0);
      passed += ep; failed += ef; skipped += e.stats.skipped || 0;
      suites.push(`e2e: ${ep} passed, ${ef} failed, ${e.stats.skipped || 0} skipped`);
    } else if (ecode !== 0) { failed++; suites.push('e2e crashed'); }
  }
}

console.log('\n' + suites.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
