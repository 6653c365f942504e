import { defineProject } from 'vitest/config';

// Each file launches one browser and starts its servers. They run beside the other projects'
// files, a file per core like them: a project held to one file at a time is put in a group of its
// own that runs after every other file, with the second core idle (about a minute on CI).
export default defineProject({
  test: {
    name: 'browser',
    maxWorkers: '100%', // a project does not inherit the root's: docs/decisions/2026-12-05-suite-speed.md
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
