import { defineConfig } from 'vitest/config';

// Each project sets `maxWorkers` itself: projects named by their config files do not inherit the
// root's test options (docs/decisions/2026-12-05-suite-speed.md).
export default defineConfig({
  test: {
    projects: ['packages/*', 'test', 'test/browser'],
  },
});
