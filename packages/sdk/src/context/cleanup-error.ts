import { channel } from 'node:diagnostics_channel';

/**
 * Name of the `node:diagnostics_channel` channel on which failed session cleanups are published.
 * @example
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(SPAWN_CLEANUP_ERROR_CHANNEL, (event) => log.warn(event));
 * @since 0.1.0
 */
export const SPAWN_CLEANUP_ERROR_CHANNEL = 'caracal:spawn:cleanup-error';

/**
 * A spawned session could not be terminated after its callback finished. The session stays
 * until its TTL or an operator ends it; `fnFailed` says whether the callback itself threw (its
 * error is what the caller saw).
 * @since 0.1.0
 */
export interface CleanupErrorEvent {
  readonly error: unknown;
  readonly zoneId: string;
  readonly agentSessionId: string;
  readonly fnFailed: boolean;
}

/**
 * Publishes a cleanup failure and tells the configured hook. Never throws: a broken hook must
 * not replace the result or error of the caller's callback.
 * @internal
 */
export function reportCleanupError(event: CleanupErrorEvent, hook: ((event: CleanupErrorEvent) => void) | undefined): void {
  const diagnostics = channel(SPAWN_CLEANUP_ERROR_CHANNEL);
  if (diagnostics.hasSubscribers) diagnostics.publish(event);
  try {
    hook?.(event);
  } catch {
    // Deliberately ignored: see above.
  }
}
