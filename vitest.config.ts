import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'test', 'test/browser'],
    // Suite speed (docs/decisions/2026-12-05-suite-speed.md): one test file per core. Vitest's
    // default leaves a core free (one worker on the 2-core CI machine), yet most files spend their
    // time waiting on a server, Postgres, Redis or a child process, not on the CPU.
    maxWorkers: '100%',
  },
});
