import type { ServerContext } from '../server-context.ts';

/** Starts the background jobs (outbox publisher, sweepers, relay); written by the events change. */
export function startJobs(_context: ServerContext): { stop(): Promise<void> } {
  return { stop: async () => {} };
}
