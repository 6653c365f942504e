import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    maxWorkers: '100%', // a project does not inherit the root's: docs/decisions/2026-12-05-suite-speed.md
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'browser/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One migrated embedded database per run, loaded by every in-memory server a test starts.
    globalSetup: ['support/embedded-template-setup.ts'],
    setupFiles: ['support/use-embedded-template.ts'],
  },
});
