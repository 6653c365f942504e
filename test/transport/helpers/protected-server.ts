import { afterAll, beforeAll } from 'vitest';
import { startCaracalStack, type CaracalStack, type MandateCheck } from './caracal-server.ts';

/** The running pair of `useProtectedServer`; set once the file's `beforeAll` has run. */
export interface ProtectedServer<Server> {
  stack: CaracalStack;
  server: Server;
}

/**
 * For the file's tests: a Caracal stack with `resource` bootstrapped, and the server `start` makes
 * for `resource`, checking mandates with the stack's verifier. Both close after the tests.
 */
export function useProtectedServer<Server extends { close(): Promise<void> }>(
  resource: string,
  start: (options: { verify: MandateCheck; resource: string }) => Promise<Server>,
): ProtectedServer<Server> {
  const running: Partial<ProtectedServer<Server>> = {};
  beforeAll(async () => {
    running.stack = await startCaracalStack([resource]);
    running.server = await start({ verify: running.stack.protect(resource), resource });
  });
  afterAll(async () => {
    await running.server?.close();
    await running.stack?.close();
  });
  return running as ProtectedServer<Server>;
}
