import type { CaracalContext } from '@caracal/sdk';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** A bound agent context for tests that need no server (stdio carries no mandate). */
export const agentContext: CaracalContext = Object.freeze({
  subjectToken: 'e2e-session-mandate',
  zoneId: 'zone_e2e',
  clientId: 'app_orchestrator',
  agentSessionId: 'agentsess_e2e',
  delegationEdgeId: 'deledge_e2e',
  traceId: TRACE_ID,
  hop: 1,
});
