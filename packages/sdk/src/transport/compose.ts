import { CaracalError } from '../errors.ts';
import type { Dispatch, Interceptor } from './dispatch.ts';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Composes interceptors into one. The first one listed is the outermost: a request passes
 * through them in the order written, the response comes back in reverse.
 *
 * The shape is checked (as undici's `compose` does) so a mistake fails at wiring time with a
 * clear error, not on the first request: every interceptor must be a function, and calling it
 * with the next dispatch must return a function. Passing a dispatch where an interceptor belongs
 * is the usual slip; it returns a promise, which is reported (and its rejection swallowed).
 * @throws `INVALID_ARGUMENT` for anything that is not an interceptor.
 * @example
 * const send = compose(withTimeout({ timeoutMs: 30_000 }), withRetry({ policy }), withTraceContext())(fetchDispatch());
 * const response = await send({ url, method: 'GET', headers: {}, body: undefined, signal: undefined });
 * @since 0.1.0
 */
export function compose(...interceptors: readonly Interceptor[]): Interceptor {
  interceptors.forEach((interceptor, index) => {
    if (typeof interceptor !== 'function') {
      throw new CaracalError('INVALID_ARGUMENT', `compose(): argument ${index} is a ${typeof interceptor}, not an interceptor (next) => dispatch.`);
    }
  });
  return (next: Dispatch): Dispatch => {
    if (typeof next !== 'function') {
      throw new CaracalError('INVALID_ARGUMENT', `compose(): the innermost dispatch is a ${typeof next}, not a function.`);
    }
    let dispatch = next;
    for (let index = interceptors.length - 1; index >= 0; index--) {
      const wrapped: unknown = (interceptors[index] as Interceptor)(dispatch);
      if (typeof wrapped !== 'function') {
        if (isThenable(wrapped)) Promise.resolve(wrapped).catch(() => undefined);
        throw new CaracalError(
          'INVALID_ARGUMENT',
          `compose(): interceptor ${index} returned a ${isThenable(wrapped) ? 'promise' : typeof wrapped} instead of a dispatch function; an interceptor is (next) => (request) => Promise<Response>.`,
        );
      }
      dispatch = wrapped as Dispatch;
    }
    return dispatch;
  };
}
