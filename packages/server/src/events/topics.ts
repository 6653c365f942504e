import { ALL_TOPICS, TIMELINE_TOPIC } from '@caracal/protocol';

export { ALL_TOPICS, Topics, type Topic } from '@caracal/protocol';

/**
 * Every stream the live feeds carry: the authority topics and the session timeline. The relay of
 * the jobs and verifiers' feeds read ALL_TOPICS only; the timeline is asked for by name.
 */
export const FEED_TOPICS: readonly string[] = [...ALL_TOPICS, TIMELINE_TOPIC];

/** NOTIFY channel that wakes outbox publishers on every replica as soon as a row commits. */
export const OUTBOX_CHANNEL = 'caracal_outbox';
