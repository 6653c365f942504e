import type { Dispatcher } from 'undici';
import type { Clock } from '../time/clock.ts';
import type { RetryPolicy } from '../retry/retry-policy.ts';
import type { CleanupErrorEvent } from '../context/cleanup-error.ts';
import type { TimelineOptions } from '../timeline/timeline-options.ts';

/**
 * Settings of a {@link Caracal} client. Give exactly one of `clientSecret`, `subjectToken` or
 * `tokenSource`.
 * @example
 * const caracal = new Caracal({
 *   coordinatorUrl: 'https://caracal.internal:4000',
 *   zoneId: 'zone_dev',
 *   clientId: 'app_orchestrator',
 *   clientSecret: secrets.caracal,
 * });
 * @since 0.1.0
 */
export interface CaracalOptions {
  /** Base URL of the Coordinator (http or https; a path prefix is kept). */
  readonly coordinatorUrl: string | URL;
  /** Base URL of the STS. @default coordinatorUrl */
  readonly stsUrl?: string | URL | undefined;
  readonly zoneId: string;
  /** The application's id, which is its OAuth `client_id`. */
  readonly clientId: string;
  /** The application's secret: the client obtains its session mandate and refreshes it before expiry. */
  readonly clientSecret?: string | undefined;
  /** A session mandate obtained elsewhere, used as is. */
  readonly subjectToken?: string | undefined;
  /** Called whenever the session mandate is needed; cache on your side. */
  readonly tokenSource?: (() => Promise<string> | string) | undefined;
  /** Time limit for each HTTP attempt, in milliseconds. @default 10000 */
  readonly timeoutMs?: number | undefined;
  /** Overrides of the retry policy's defaults (see `DEFAULT_RETRY_POLICY`). */
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** An undici dispatcher to send through; by default the client owns a keep-alive `Agent`. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Time source for retry waits and token expiry; tests inject a fake one. @default systemClock */
  readonly clock?: Clock | undefined;
  /**
   * Told when terminating a spawned session fails after `fn` finished. The failure is also
   * published on the `caracal:spawn:cleanup-error` diagnostics channel; it never throws.
   */
  readonly onCleanupError?: ((event: CleanupErrorEvent) => void) | undefined;
  /** Bounds of the timeline reporting queue (`caracal.timeline`, the runs `spawn` records). */
  readonly timeline?: TimelineOptions | undefined;
}

/**
 * Defaults of {@link CaracalOptions}.
 * @since 0.1.0
 */
export const DEFAULT_TIMEOUT_MS = 10_000;
