/**
 * `@caracal/sdk/a2a`: per-call mandates, trace context and retries for agent-to-agent HTTP.
 * @since 0.1.0
 */

// Checks the Node.js version first, then gives the module-level default client.
import { defaultCaracal } from '../../entry-default-client.ts';
import type { FetchLike } from '../dispatch.ts';
import { buildA2AFetch, type A2AFetchOptions } from './build-a2a-fetch.ts';

/**
 * A `fetch` for agent-to-agent calls under the current Caracal context. For every attempt it
 * exchanges the context's mandate for a fresh one scoped to the target (never passing the
 * client's own token on) and adds W3C `traceparent`/`tracestate`/`baggage`; transient failures are
 * retried with exponential backoff and jitter, honouring `Retry-After`, with the same body (same
 * JSON-RPC id and message) each time, all within `timeoutMs`, combined with the caller's signal.
 *
 * Pass it as `fetchImpl` to @a2a-js/sdk's transport factories and to its agent-card resolver, so
 * card discovery is authorized and traced too. Outside a context it rejects with
 * `NO_ACTIVE_CONTEXT` and nothing is sent; when the budget runs out it rejects with
 * `REQUEST_TIMEOUT`; a 401 or 403 rejects with `UNAUTHORIZED`/`FORBIDDEN` carrying the agent's
 * refusal code and reason; after the last retry of a transient status the last response is returned.
 * @example
 * const fetchImpl = createA2AFetch({ caracal, resource: 'https://billing-agent.internal' });
 * const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
 *   transports: [new JsonRpcTransportFactory({ fetchImpl })],
 *   cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
 * }));
 * await caracal.spawn({}, async () => {
 *   const client = await factory.createFromUrl('https://billing-agent.internal');
 *   await client.sendMessage({ message });
 * });
 * @since 0.1.0
 */
export function createA2AFetch(options: A2AFetchOptions): FetchLike {
  return buildA2AFetch(options, defaultCaracal);
}

export { A2A_RETRY_POLICY, type A2AFetchOptions } from './build-a2a-fetch.ts';
export type { FetchLike } from '../dispatch.ts';
export type { TokenExchanger } from '../token-exchanger.ts';
export type { RetryPolicy } from '../../retry/retry-policy.ts';
export type { Clock } from '../../time/clock.ts';
