import type { Dispatch, DispatchRequest, FetchLike } from './dispatch.ts';

/** Lowercase-keyed copy of any `HeadersInit`. */
function headerRecord(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (init === undefined) return headers;
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      headers[name] = value;
    });
  } else if (Array.isArray(init)) {
    for (const [name, value] of init as ReadonlyArray<readonly [string, string]>) headers[name.toLowerCase()] = value;
  } else {
    for (const [name, value] of Object.entries(init as Record<string, string>)) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** The options fetch takes besides the ones a dispatch request models. */
function otherOptions(init: RequestInit | undefined): RequestInit | undefined {
  if (init === undefined) return undefined;
  const { method: _method, headers: _headers, body: _body, signal: _signal, ...rest } = init;
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/**
 * Turns fetch arguments into a dispatch request, buffering the body so it can be sent again.
 * Plain string bodies (what the MCP and A2A clients send) take a fast path; anything else
 * (a `Request`, a stream, form data) goes through `new Request()` so headers a body implies,
 * like a multipart boundary, are kept exactly as fetch would have sent them.
 * @internal
 */
export async function toDispatchRequest(input: string | URL | Request, init?: RequestInit): Promise<DispatchRequest> {
  const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
  const body = init?.body;
  if (!(input instanceof Request) && (body === undefined || body === null || typeof body === 'string')) {
    return {
      url: typeof input === 'string' ? input : input.href,
      method: init?.method ?? 'GET',
      headers: headerRecord(init?.headers),
      body: body ?? undefined,
      signal,
      fetchOptions: otherOptions(init),
    };
  }
  const request = new Request(input, init);
  const buffered = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  return {
    url: request.url,
    method: request.method,
    headers: headerRecord(request.headers),
    body: buffered,
    signal,
    fetchOptions: { ...otherOptions(init), redirect: init?.redirect ?? request.redirect },
  };
}

/**
 * A fetch-compatible function over a dispatch: what the MCP and A2A client SDKs take as their
 * fetch hook.
 * @example
 * const fetchWithTrace = fetchFromDispatch(compose(withTraceContext())(fetchDispatch()));
 * @since 0.1.0
 */
export function fetchFromDispatch(dispatch: Dispatch): FetchLike {
  return async (input, init) => dispatch(await toDispatchRequest(input, init));
}
