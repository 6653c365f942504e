import { test } from 'vitest';
import { startFakeCoordinator, type FakeCoordinator } from './fake-coordinator.ts';

/** A test with a fresh fake Coordinator, closed after it: `coordinatorTest('…', async ({ coordinator }) => …)`. */
export const coordinatorTest = test.extend<{ coordinator: FakeCoordinator }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  coordinator: async ({}, use) => {
    const coordinator = await startFakeCoordinator();
    await use(coordinator);
    await coordinator.close();
  },
});
