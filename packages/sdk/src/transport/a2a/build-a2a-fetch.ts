import { CaracalError } from '../../errors.ts';
import type { Clock } from '../../time/clock.ts';
import type { RetryPolicy } from '../../retry/retry-policy.ts';
import { compose } from '../compose.ts';
import { fetchDispatch, type FetchLike } from '../dispatch.ts';
import { fetchFromDispatch } from '../fetch-from-dispatch.ts';
import { withRefusalErrors } from '../interceptors/with-refusal-errors.ts';
import { withRetry } from '../interceptors/with-retry.ts';
import { withTimeout } from '../interceptors/with-timeout.ts';
import { withTokenExchange } from '../interceptors/with-token-exchange.ts';
import { withTraceContext } from '../interceptors/with-trace-context.ts';
import { sendWithOneTraceparent } from '../send-with-one-traceparent.ts';
import { resolveExchanger, type TokenExchanger } from '../token-exchanger.ts';

/**
 * Options of {@link createA2AFetch}.
 * @since 0.1.0
 */
export interface A2AFetchOptions {
  /** The client that exchanges mandates. @default the module-level default client (`configure()` or the environment) */
  readonly caracal?: TokenExchanger | undefined;
  /** RFC 8707 resource indicator of the target agent: the audience of every mandate sent to it. */
  readonly resource: string;
  /** Scopes to ask for. @default undefined (what the STS grants for the resource) */
  readonly scopes?: readonly string[] | undefined;
  /** Retries after the first attempt. @default 2 */
  readonly retries?: number | undefined;
  /** Budget for the whole call until a response arrives: every attempt, exchange and backoff wait. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /**
   * Whether a request that may already have reached the agent (a 500, 502, 504, 408, a reset
   * connection) is sent again. A2A clients send the same JSON-RPC id and `messageId` on every
   * attempt, which lets the agent recognise a repeat, so this is on; turn it off to repeat only
   * what the agent cannot have acted on (refused connections, 429, 503).
   * @default true
   */
  readonly idempotent?: boolean | undefined;
  /** Fine-tuning of backoff and of what counts as transient; see {@link A2A_RETRY_POLICY}. */
  readonly retry?: Partial<Omit<RetryPolicy, 'retries'>> | undefined;
  /** The fetch that sends the request. @default globalThis.fetch */
  readonly fetch?: FetchLike | undefined;
  /** Time source for backoff waits and the timeout. @default systemClock */
  readonly clock?: Clock | undefined;
  /** Randomness for jitter, in [0, 1). @default Math.random */
  readonly random?: (() => number) | undefined;
}

/**
 * The retry defaults of {@link createA2AFetch}: transient statuses (408, 425 Too Early, 429, 500,
 * 502, 503, 504) and lost connections are retried with exponential backoff from 200 ms, half of
 * each wait randomised; 400, 401, 403, 404 and other answers are final. `maxElapsedMs` and
 * `maxRetryAfterMs` follow `timeoutMs`.
 * @since 0.1.0
 */
export const A2A_RETRY_POLICY: Omit<RetryPolicy, 'maxElapsedMs' | 'maxRetryAfterMs'> = Object.freeze({
  retries: 2,
  minDelayMs: 200,
  maxDelayMs: 5000,
  factor: 2,
  jitter: 0.5,
  retryableStatuses: Object.freeze([408, 425, 429, 500, 502, 503, 504]),
  retryableErrorCodes: Object.freeze(['NETWORK_ERROR']),
});

const DEFAULT_TIMEOUT_MS = 30_000;

function checkOptions(options: A2AFetchOptions): void {
  if (typeof options?.resource !== 'string' || options.resource.length === 0) {
    throw new CaracalError('INVALID_ARGUMENT', "createA2AFetch(): resource must be the target agent's resource identifier.");
  }
  const { retries } = options;
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
    throw new CaracalError('INVALID_ARGUMENT', `createA2AFetch(): retries must be a non-negative integer, got ${String(retries)}.`);
  }
}

/**
 * `createA2AFetch()`, with the exchanger to use when `options.caracal` is absent passed in by the
 * entry (the module-level default client), so transport code never imports the root client.
 * @internal
 */
export function buildA2AFetch(options: A2AFetchOptions, defaultExchanger: () => TokenExchanger): FetchLike {
  checkOptions(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: RetryPolicy = {
    ...A2A_RETRY_POLICY,
    maxElapsedMs: timeoutMs,
    maxRetryAfterMs: timeoutMs,
    ...options.retry,
    retries: options.retries ?? A2A_RETRY_POLICY.retries,
  };
  const { clock } = options;
  const send = compose(
    withRefusalErrors(),
    withTimeout({ timeoutMs, clock }),
    withRetry({ policy, clock, random: options.random, idempotent: options.idempotent ?? true }),
    withTraceContext({ spanName: 'caracal.a2a.request' }),
    withTokenExchange({ exchanger: resolveExchanger(options.caracal, defaultExchanger), resource: options.resource, scopes: options.scopes }),
  )(sendWithOneTraceparent(fetchDispatch(options.fetch)));
  return fetchFromDispatch(send);
}
