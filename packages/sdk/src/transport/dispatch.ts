/**
 * The transport core (STYLE rule 7): a request is plain data, a `Dispatch` sends one, and every
 * concern (trace context, token exchange, retry, timeout) is an `Interceptor` that wraps the
 * next dispatch. MCP and A2A differ only in which interceptors they compose.
 */

/**
 * One outbound HTTP request as the interceptors see it. Immutable: an interceptor that changes
 * something passes a new object on.
 * @since 0.1.0
 */
export interface DispatchRequest {
  /** Absolute URL. */
  readonly url: string;
  /** As the caller wrote it (`POST`, `GET` …). */
  readonly method: string;
  /** Header names are lowercase. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Buffered, never a stream, so a retry sends the same bytes again. `undefined` for requests
   * without a body.
   */
  readonly body: string | Uint8Array<ArrayBuffer> | undefined;
  readonly signal: AbortSignal | undefined;
  /** The caller's other fetch options (`redirect` …), handed to the innermost fetch untouched. */
  readonly fetchOptions?: Readonly<RequestInit> | undefined;
}

/**
 * Sends a request and resolves with the response, like `fetch`: HTTP error statuses resolve,
 * only failures without a response reject.
 * @example
 * const dispatch: Dispatch = (request) => fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal });
 * @since 0.1.0
 */
export type Dispatch = (request: DispatchRequest) => Promise<Response>;

/**
 * Wraps a dispatch with one concern and returns the wrapped dispatch.
 * @example
 * const withUserAgent: Interceptor = (next) => (request) =>
 *   next({ ...request, headers: { ...request.headers, 'user-agent': 'my-agent/1.0' } });
 * @since 0.1.0
 */
export type Interceptor = (next: Dispatch) => Dispatch;

/**
 * The `fetch` shape the MCP and A2A client SDKs accept as their fetch hook.
 * @since 0.1.0
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The innermost dispatch: hands the request to `fetch` (the global one unless another is given,
 * looked up per call so a later replacement, say in a test harness, is seen).
 * @example
 * const send = compose(withTraceContext())(fetchDispatch());
 * @since 0.1.0
 */
export function fetchDispatch(fetchImplementation?: FetchLike): Dispatch {
  return (request) => {
    const send = fetchImplementation ?? globalThis.fetch;
    return send(request.url, {
      ...request.fetchOptions,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
  };
}
