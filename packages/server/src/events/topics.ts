/** The event streams the server publishes to (DESIGN §4). */
export const Topics = {
  agentsLifecycle: 'caracal.agents.lifecycle',
  invocationsLifecycle: 'caracal.invocations.lifecycle',
  delegationsInvalidate: 'caracal.delegations.invalidate',
  sessionsRevoke: 'caracal.sessions.revoke',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** NOTIFY channel that wakes outbox publishers on every replica as soon as a row commits. */
export const OUTBOX_CHANNEL = 'caracal_outbox';
