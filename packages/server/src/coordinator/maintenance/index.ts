/**
 * The Coordinator's work for the periodic jobs (src/jobs): each takes the database and the
 * injected time, is safe on several replicas at once, and enqueues its events in its own
 * transaction.
 */
export { expireOverdueInvocations } from '../invocations/invocation-repository.ts';
export { markStaleServicesUnhealthy } from '../service-agents/service-agent-repository.ts';
export { expireSessionsAndEdges } from '../sessions/expiry-repository.ts';
export { deleteFinishedHistory, type DeletedHistory } from './retention-repository.ts';
export { deleteExpiredTimelineEvents } from './timeline-retention-repository.ts';
