import { defineProject } from 'vitest/config';

/**
 * The chaos run (`pnpm run test:chaos`, real Postgres and Redis required): two replicas under
 * mixed load while Redis restarts, backends are terminated, a replica is killed and another
 * paused. Kept out of `./run test` until it passes reliably there (see bench/README.md).
 */
export default defineProject({
  test: {
    name: 'server-chaos',
    include: ['test/faults/chaos.chaos.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
