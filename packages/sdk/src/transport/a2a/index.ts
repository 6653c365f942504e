/**
 * `@caracal/sdk/a2a`: per-call mandates, trace context and retries for agent-to-agent HTTP.
 * @since 0.1.0
 */
export { A2A_RETRY_POLICY, createA2AFetch, type A2AFetchOptions } from './create-a2a-fetch.ts';
export type { FetchLike } from '../dispatch.ts';
export type { TokenExchanger } from '../token-exchanger.ts';
export type { RetryPolicy } from '../../retry/retry-policy.ts';
export type { Clock } from '../../time/clock.ts';
