/** The event streams the server publishes to (Redis Streams, or the in-process bus: same names). */
export const Topics = {
  agentsLifecycle: 'caracal.agents.lifecycle',
  invocationsLifecycle: 'caracal.invocations.lifecycle',
  delegationsInvalidate: 'caracal.delegations.invalidate',
  sessionsRevoke: 'caracal.sessions.revoke',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);
