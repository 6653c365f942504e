import { defineProject } from 'vitest/config';

// Each file launches one browser and starts its servers; files run one at a time so two cores
// are not shared by several Chromiums.
export default defineProject({
  test: {
    name: 'browser',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
