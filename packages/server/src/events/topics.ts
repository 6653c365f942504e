export { ALL_TOPICS, Topics, type Topic } from '@caracal/protocol';

/** NOTIFY channel that wakes outbox publishers on every replica as soon as a row commits. */
export const OUTBOX_CHANNEL = 'caracal_outbox';
