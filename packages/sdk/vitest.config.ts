import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    maxWorkers: '100%', // a project does not inherit the root's: docs/decisions/2026-12-05-suite-speed.md
    include: ['test/**/*.test.ts'],
    // Public API type tests (expectTypeOf, @ts-expect-error) run with tsc inside the normal test run.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './test/types/tsconfig.json' },
  },
});
