import { channel } from 'node:diagnostics_channel';

/**
 * Name of the `node:diagnostics_channel` channel on which failed timeline sends are published
 * (`{ error, sessionId, count }`): the agent never sees them otherwise, only `stats().failed`.
 * @example
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(TIMELINE_SEND_ERROR_CHANNEL, (event) => log.warn(event));
 * @since 0.1.0
 */
export const TIMELINE_SEND_ERROR_CHANNEL = 'caracal:timeline:send-error';

/** @internal */
export function publishSendError(error: unknown, sessionId: string, count: number): void {
  const diagnostics = channel(TIMELINE_SEND_ERROR_CHANNEL);
  if (diagnostics.hasSubscribers) diagnostics.publish({ error, sessionId, count });
}
