import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    maxWorkers: '100%', // a project does not inherit the root's: docs/decisions/2026-12-05-suite-speed.md
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Postgres set-up (a schema per file, migrations, a zone) can take a while on a loaded machine.
    hookTimeout: 120_000,
    // One migrated embedded database per run; each file loads a copy (test/helpers/test-database.ts).
    globalSetup: ['test/helpers/setup-pglite-template.ts'],
    // Files share a worker's module graph instead of importing fastify, PGlite and the server again
    // each time (about 40% of the project's CPU time). The server keeps no module-level state
    // between apps: each test builds its own app, database, bus and metrics registry.
    isolate: false,
  },
});
