import { test } from 'vitest';
import type { Caracal } from '../../src/index.ts';
import { startFakeCaracalServer, type FakeCaracalServer } from './fake-caracal-server.ts';
import { testClient } from './test-client.ts';

/**
 * A test with a fresh fake Caracal server and a client pointed at it (see testClient), both
 * closed after the test: `clientTest('…', async ({ server, caracal }) => …)`.
 */
export const clientTest = test.extend<{ server: FakeCaracalServer; caracal: Caracal }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  server: async ({}, use) => {
    const server = await startFakeCaracalServer();
    await use(server);
    await server.close();
  },
  caracal: async ({ server }, use) => {
    const { caracal } = testClient(server);
    await use(caracal);
    await caracal.close();
  },
});
