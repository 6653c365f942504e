// The root entry: context, clients and errors. MCP, A2A and verification live behind their own
// subpaths so importing this never loads them (test/package/exports.test.ts checks the dist).

import { assertSupportedNode } from './node-version.ts';

// On an older Node.js the import fails here, with one line naming the version needed: no module
// this entry loads fails before (undici, which would, is loaded on first use).
assertSupportedNode();

export type { CaracalContext } from './model/caracal-context.ts';
export { MAX_HOP } from './model/caracal-context.ts';
export { current, requireContext } from './context/current.ts';
export { bind } from './context/bind.ts';
export type { ContextRunner } from './context/capture-context.ts';
export { captureContext, wrapWithContext } from './context/capture-context.ts';
export type { DelegateOptions, DelegationConstraints, SpawnGrant, SpawnOptions } from './context/spawn-options.ts';
export type { CleanupErrorEvent } from './context/cleanup-error.ts';
export { SPAWN_CLEANUP_ERROR_CHANNEL } from './context/cleanup-error.ts';

export { Caracal } from './caracal.ts';
export { configure, defaultCaracal, delegate, exchange, headers, spawn, timeline } from './default-client.ts';
export type { SessionTimeline, TimelineResult } from './timeline/session-timeline.ts';
export type { TimelineOptions, TimelineStats } from './timeline/timeline-options.ts';
export { TIMELINE_SEND_ERROR_CHANNEL } from './timeline/send-error.ts';
export type { TimelineEvent } from './timeline/timeline-event.ts';
export type { CaracalOptions } from './config/caracal-options.ts';
export { DEFAULT_TIMEOUT_MS } from './config/caracal-options.ts';
export type { Environment } from './config/from-env.ts';
export { ENVIRONMENT_VARIABLES } from './config/from-env.ts';
export type { ExchangedMandate, ExchangeOptions } from './auth/exchanged-mandate.ts';

export type { RetryAttemptContext, RetryPolicy } from './retry/retry-policy.ts';
export { DEFAULT_RETRY_POLICY } from './retry/retry-policy.ts';
export { backoffDelay } from './retry/backoff.ts';
export { parseRetryAfter } from './retry/parse-retry-after.ts';
export type { Clock } from './time/clock.ts';
export { systemClock } from './time/clock.ts';

export type { CaracalErrorCode, CaracalErrorDetails } from './errors.ts';
export { CaracalError, isCaracalError } from './errors.ts';
