import { requireContext } from '../../context/current.ts';
import { CaracalError, isCaracalError } from '../../errors.ts';
import type { DispatchRequest, Interceptor } from '../dispatch.ts';
import type { ReusableMandates } from '../reusable-mandates.ts';
import type { TokenExchanger } from '../token-exchanger.ts';

/**
 * Options of {@link withTokenExchange}.
 * @since 0.1.0
 */
export interface WithTokenExchangeOptions {
  /** Returns the client that performs the exchange (looked up per request). */
  readonly exchanger: () => TokenExchanger;
  /** RFC 8707 resource indicator of the target, e.g. `mcp://tools.local`. */
  readonly resource: string;
  /** Scopes to ask for; the STS grants what the edge and resource allow. @default undefined (the STS default) */
  readonly scopes?: readonly string[] | undefined;
  /**
   * Which requests may present a mandate minted earlier in the same context (until shortly
   * before it expires) instead of a fresh one. Requires `reusableMandates`.
   * @default every request gets a fresh mandate
   */
  readonly mayReuse?: ((request: DispatchRequest) => boolean) | undefined;
  readonly reusableMandates?: ReusableMandates | undefined;
  /**
   * Which requests act on nothing and go with a protocol mandate (`use: 'protocol'`, no budget
   * spent) instead of a per-call one. Not consulted for reused mandates.
   * @default none: every request gets a per-call mandate
   */
  readonly protocolOnly?: ((request: DispatchRequest) => boolean) | undefined;
}

/** Header values cannot hold line breaks; a token that does would let a response forge headers. */
const UNSAFE_TOKEN = /[\r\n\0]/;

function bearerValue(accessToken: unknown, resource: string): string {
  if (typeof accessToken !== 'string' || accessToken.length === 0 || UNSAFE_TOKEN.test(accessToken)) {
    throw new CaracalError('TOKEN_EXCHANGE_FAILED', `The token exchange for ${resource} returned no usable access token.`);
  }
  return `Bearer ${accessToken}`;
}

function asExchangeError(error: unknown, resource: string): unknown {
  if (isCaracalError(error)) return error;
  return new CaracalError('TOKEN_EXCHANGE_FAILED', `The token exchange for ${resource} failed.`, { cause: error });
}

/** Every spelling of `authorization` is dropped: only the per-call mandate may authorize. */
function withoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const name in headers) if (name.toLowerCase() !== 'authorization') copy[name] = headers[name] as string;
  return copy;
}

/**
 * Exchanges the current context's mandate for one bound to `resource` (RFC 8693) and sends it
 * as `authorization: Bearer …`, replacing any authorization the caller set: the client's own
 * session token never reaches the target.
 *
 * Fails closed: outside a context it throws `NO_ACTIVE_CONTEXT` and a failed exchange throws its
 * error (`TOKEN_EXCHANGE_FAILED`, `RATE_LIMITED` …); in neither case is the request sent.
 * @example
 * const send = compose(withTokenExchange({ exchanger: () => caracal, resource: 'https://agent.example' }))(fetchDispatch());
 * @since 0.1.0
 */
export function withTokenExchange(options: WithTokenExchangeOptions): Interceptor {
  const { exchanger, resource, scopes, mayReuse, reusableMandates, protocolOnly } = options;
  const exchange = async (signal: AbortSignal | undefined, use?: 'protocol') => {
    try {
      return await exchanger().exchange(use === undefined ? { resource, scopes, signal } : { resource, scopes, use, signal });
    } catch (error) {
      throw asExchangeError(error, resource);
    }
  };
  return (next) => async (request) => {
    const context = requireContext();
    request.signal?.throwIfAborted();
    const reuse = reusableMandates !== undefined && mayReuse?.(request) === true;
    const accessToken = reuse
      ? await reusableMandates.accessToken(context, { signal: request.signal, exchange: () => exchange(undefined) })
      : (await exchange(request.signal, protocolOnly?.(request) === true ? 'protocol' : undefined)).accessToken;
    const headers = withoutAuthorization(request.headers);
    headers.authorization = bearerValue(accessToken, resource);
    return next({ ...request, headers });
  };
}
