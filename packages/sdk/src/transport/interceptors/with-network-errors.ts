import type { Interceptor } from '../dispatch.ts';
import { asNetworkError } from './network-failure.ts';

/**
 * Turns fetch's bare `TypeError: fetch failed` (refused connection, DNS, reset) into a typed
 * `NETWORK_ERROR` naming the target, for transports without `withRetry` (which does the same).
 * @internal
 */
export function withNetworkErrors(): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      throw asNetworkError(error, request);
    }
  };
}
