import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'protocol',
    maxWorkers: '100%', // a project does not inherit the root's: docs/decisions/2026-12-05-suite-speed.md
    include: ['test/**/*.test.ts'],
  },
});
