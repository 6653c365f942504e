import type { TimelineEvent as PostEventBody } from '../../src/index.ts';
import type { FakeCaracalServer } from '../support/fake-caracal-server.ts';

/** A session id the fake server accepts (it stores events for any id). */
export const SESSION = `agentsess_${'0'.repeat(25)}1`;

/** The batches the fake server received for `sessionId` (every session when absent), in order. */
export function batchesTo(server: FakeCaracalServer, sessionId = '*'): PostEventBody[][] {
  return server.requestsTo(`POST /sessions/${sessionId}/events`).map((request) => request.json as unknown as PostEventBody[]);
}

/** Every event the fake server received for `sessionId`, in order. */
export function eventsTo(server: FakeCaracalServer, sessionId = '*'): PostEventBody[] {
  return batchesTo(server, sessionId).flat();
}
