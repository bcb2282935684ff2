// CommonJS on purpose: package.json has no "type", so ESM syntax here makes Vite warn that the
// config is "ESM syntax in a file loaded as CommonJS" (unsupported by its future native loader).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defineConfig } = require('vitest/config') as typeof import('vitest/config');

module.exports = defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // generous: the integration suites spawn a process per CLI call (each unlocks: Argon2id), and
    // two test files share two cores with each other; a hang still fails, speed lives in the bench
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // at most two test files at a time: CI and dev boxes have ~2 cores shared with builds
    fileParallelism: true,
    maxWorkers: 2,
  },
});
