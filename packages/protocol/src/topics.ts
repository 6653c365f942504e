/** The event streams the server publishes to (Redis Streams, or the in-process bus: same names). */
export const Topics = {
  agentsLifecycle: 'caracal.agents.lifecycle',
  invocationsLifecycle: 'caracal.invocations.lifecycle',
  delegationsInvalidate: 'caracal.delegations.invalidate',
  sessionsRevoke: 'caracal.sessions.revoke',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/**
 * The stream of session timeline events (agents' events and the server's own facts). Apart from
 * ALL_TOPICS, which are the authority events every verifier and relay reads: the timeline is for
 * the Agent Coordinator feeds (`/ws` without topics, `/sse/sessions`) and whoever asks for it by name.
 */
export const TIMELINE_TOPIC = 'caracal.sessions.timeline';
