import type { CaracalContext } from '../../../src/model/caracal-context.ts';

/** The ambient session mandate: it must never reach a target server. */
export const SESSION_TOKEN = 'session-mandate-NEVER-FORWARD';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export const agentContext: CaracalContext = Object.freeze({
  subjectToken: SESSION_TOKEN,
  zoneId: 'zone_test',
  clientId: 'app_orchestrator',
  agentSessionId: 'agentsess_01',
  delegationEdgeId: 'deledge_01',
  parentEdgeId: 'deledge_00',
  traceId: TRACE_ID,
  traceFlags: '01',
  traceState: 'vendor=abc',
  baggage: Object.freeze({ tenant: 'acme' }),
  hop: 2,
});

/** Resolves once `condition` holds, letting real I/O run in between; fails after 5 s of real time. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
