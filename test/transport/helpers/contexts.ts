import type { CaracalContext } from '@caracal/sdk';

/** The client's own session mandate: the STS accepts it, target servers must never see it. */
export const SESSION_TOKEN = 'e2e-session-mandate-NEVER-FORWARD';

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

export const agentContext: CaracalContext = Object.freeze({
  subjectToken: SESSION_TOKEN,
  zoneId: 'zone_e2e',
  clientId: 'app_orchestrator',
  agentSessionId: 'agentsess_e2e',
  delegationEdgeId: 'deledge_e2e',
  traceId: TRACE_ID,
  hop: 1,
});
