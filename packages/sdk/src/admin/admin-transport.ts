import { adminErrorOf, CaracalAdminError } from './admin-error.ts';

/** A bearer, or how to get the current one (an operator mandate renewed by its owner). */
export type TokenSource = string | (() => string | Promise<string>);

/** One call: its path (from the base URL), query (undefined fields left out) and JSON body. */
export interface AdminRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  body?: unknown;
}

export interface AdminTransport {
  /** The parsed JSON answer of a 2xx (undefined for an empty body); a CaracalAdminError otherwise. */
  send<Answer>(request: AdminRequest): Promise<Answer>;
  token(): Promise<string>;
}

export interface TransportOptions {
  baseUrl: string;
  token: TokenSource;
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
}

/** Long enough for a cold embedded server, short enough that a wedged one does not hang a script. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** `fetch` only (no Node.js modules), so a browser bundle can carry it. */
export function adminTransport(options: TransportOptions): AdminTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const token = async () => (typeof options.token === 'string' ? options.token : options.token());
  return {
    token,
    async send<Answer>(request: AdminRequest): Promise<Answer> {
      const doFetch = options.fetch ?? globalThis.fetch;
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) search.set(name, String(value));
      const url = `${base}${request.path}${search.size === 0 ? '' : `?${search.toString()}`}`;
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${await token()}` };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await doFetch(url, {
          method: request.method,
          headers,
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
      } catch (error) {
        // fetch says "fetch failed" and keeps the reason (ECONNREFUSED, a timeout) in its cause.
        const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
        const detail = [error instanceof Error ? error.message : String(error), typeof cause?.code === 'string' ? cause.code : cause?.message];
        const reason = detail.filter((part) => typeof part === 'string' && part !== '').join(': ');
        throw new CaracalAdminError(0, 'network', `cannot reach ${base}: ${reason}`, { cause: error });
      }
      const text = await response.text();
      const requestId = response.headers.get('x-request-id') ?? undefined;
      if (!response.ok) throw adminErrorOf(response.status, text, requestId);
      if (text === '') return undefined as Answer;
      try {
        return JSON.parse(text) as Answer;
      } catch (error) {
        throw new CaracalAdminError(response.status, 'server_error', `${request.method} ${request.path} answered a body that is not JSON`, {
          requestId,
          cause: error,
        });
      }
    },
  };
}

/** A path segment. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
