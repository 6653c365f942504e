import type { Dispatcher } from 'undici';
import { CaracalError, isCaracalError } from '../errors.ts';
import type { Clock } from '../time/clock.ts';
import type { RetryPolicy } from '../retry/retry-policy.ts';
import { doNotRetry, runWithRetry } from '../retry/run-with-retry.ts';
import { errorFromNetworkFailure, type AttemptEnd } from './network-error.ts';
import { errorFromResponse } from './response-error.ts';
import { loadUndici } from './load-undici.ts';

/** Keep-alive pool limits of the Agent a client owns when no dispatcher is given. */
const AGENT_OPTIONS = { connections: 64, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 } as const;

/** @internal */
export interface HttpClientOptions {
  /** When unset, the client creates its own keep-alive Agent on the first request. */
  readonly dispatcher?: Dispatcher | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly random?: (() => number) | undefined;
}

/**
 * Where a request's bearer comes from: fetched per attempt. `invalidate` is told a token the
 * server answered 401 to and says whether a fresh one can be had (a client secret can mint one;
 * a fixed subject token cannot).
 * @internal
 */
export type BearerSource = ((signal?: AbortSignal) => Promise<string>) & { readonly invalidate?: ((refusedToken: string) => boolean) | undefined };

/** One logical call; retries repeat it with the same headers (idempotency key included). @internal */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Fetched per attempt, so a retry after a token refresh presents the new token. A 401 answer
   * renews it once and sends the call again (the server's keys may have changed under a cached
   * mandate: a restart of an in-memory server, a database reset).
   */
  readonly bearer?: BearerSource | undefined;
  /** Safe to repeat: GET, DELETE, or a create carrying an `Idempotency-Key`. */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** @internal */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly requestId: string | undefined;
}

interface EncodedBody {
  readonly contentType?: string;
  readonly body?: string;
}

function encodeBody(request: HttpRequest): EncodedBody {
  if (request.form !== undefined) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(request.form)) if (value !== undefined) form.set(name, value);
    return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
  }
  if (request.json !== undefined) return { contentType: 'application/json', body: JSON.stringify(request.json) };
  return {};
}

function decodeBody(text: string, contentType: string | string[] | undefined): unknown {
  if (text.length === 0) return undefined;
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  if (type === undefined || !/\bjson\b/i.test(type)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * JSON/form HTTP over an undici dispatcher (keep-alive pools), with a per-attempt timeout, the
 * caller's AbortSignal, typed errors and the retry policy. It knows nothing of Caracal routes.
 * @internal
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  #ownedAgent: Dispatcher | undefined;

  constructor(options: HttpClientOptions) {
    this.#options = options;
  }

  /** Closes the keep-alive connections this client opened itself (not a dispatcher passed in). */
  async close(): Promise<void> {
    await this.#ownedAgent?.close();
    this.#ownedAgent = undefined;
  }

  /**
   * Sends `request`, retrying per policy; resolves with a 2xx response or throws a CaracalError.
   * A 401 to a bearer the source can renew is answered by renewing it and sending once more.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const presented = { token: undefined as string | undefined };
    try {
      return await this.#sendWithRetry(request, presented);
    } catch (error) {
      const refused = presented.token;
      if (!isCaracalError(error) || error.status !== 401 || refused === undefined || request.bearer?.invalidate?.(refused) !== true) throw error;
      return await this.#sendWithRetry(request, presented);
    }
  }

  #sendWithRetry(request: HttpRequest, presented: { token: string | undefined }): Promise<HttpResponse> {
    const { retry, clock, random } = this.#options;
    return runWithRetry((attempt) => this.#attempt(request, attempt, presented), {
      policy: retry,
      clock,
      random,
      idempotent: request.idempotent,
      signal: request.signal,
    });
  }

  async #headers(request: HttpRequest, encoded: EncodedBody, presented: { token: string | undefined }): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (encoded.contentType !== undefined) headers['content-type'] = encoded.contentType;
    if (request.bearer !== undefined) {
      try {
        presented.token = await request.bearer(request.signal);
      } catch (error) {
        doNotRetry(error);
      }
      headers.authorization = `Bearer ${presented.token}`;
    }
    return headers;
  }

  async #attempt(request: HttpRequest, attempt: number, presented: { token: string | undefined }): Promise<HttpResponse> {
    const { method, url, signal } = request;
    const { timeoutMs, clock } = this.#options;
    if (signal?.aborted) throw errorFromNetworkFailure({ method, url, reason: 'aborted', timeoutMs, attempt, cause: signal.reason });
    const undici = await loadUndici();
    const dispatcher = this.#options.dispatcher ?? (this.#ownedAgent ??= new undici.Agent(AGENT_OPTIONS));
    const encoded = encodeBody(request);
    const headers = await this.#headers(request, encoded, presented);
    const controller = new AbortController();
    let ended: AttemptEnd | undefined;
    const end = (reason: AttemptEnd): void => {
      ended ??= reason;
      controller.abort();
    };
    const timer = setTimeout(() => end('timeout'), timeoutMs);
    const onAbort = (): void => end('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await undici.request(url, { method, headers, body: encoded.body, dispatcher, signal: controller.signal });
      const body = decodeBody(await response.body.text(), response.headers['content-type']);
      const requestIdHeader = response.headers['x-request-id'];
      const requestId = Array.isArray(requestIdHeader) ? requestIdHeader[0] : requestIdHeader;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { status: response.statusCode, headers: response.headers, body, requestId };
      }
      throw errorFromResponse({ method, url, status: response.statusCode, headers: response.headers, body, attempt, nowMs: clock.now() });
    } catch (error) {
      if (isCaracalError(error)) throw error;
      throw errorFromNetworkFailure({ method, url, reason: ended ?? 'failed', timeoutMs, attempt, cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Reads a JSON object body from a 2xx response, or throws `INVALID_RESPONSE`.
 * @internal
 */
export function objectBody(response: HttpResponse, what: string): Record<string, unknown> {
  if (typeof response.body === 'object' && response.body !== null && !Array.isArray(response.body)) {
    return response.body as Record<string, unknown>;
  }
  throw new CaracalError('INVALID_RESPONSE', `${what}: expected a JSON object in the response body; the server does not look like a Caracal server (check coordinatorUrl and stsUrl).`, {
    status: response.status,
    requestId: response.requestId,
  });
}
