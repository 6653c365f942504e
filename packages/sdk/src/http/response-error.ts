import type { ErrorBody, UncheckedBody } from '@caracal/protocol';
import { CaracalError, type CaracalErrorCode } from '../errors.ts';
import { parseRetryAfter } from '../retry/parse-retry-after.ts';

/** What the SDK knows about a failed HTTP response. @internal */
export interface FailedResponse {
  readonly method: string;
  readonly url: URL;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly attempt: number;
  readonly nowMs: number;
}

function codeForStatus(status: number): CaracalErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'REQUEST_FAILED';
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the wire error shape `{ error, error_description }`
 * (docs/decisions/2026-12-04-wire-conventions.md) without trusting it.
 */
function serverError(body: unknown): { code?: string; description?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, error_description: description }: UncheckedBody<ErrorBody> = body;
  return {
    code: typeof error === 'string' ? error : undefined,
    description: typeof description === 'string' ? description : undefined,
  };
}

function bodyKind(response: FailedResponse): string {
  const type = headerText(response.headers['content-type'])?.split(';')[0]?.trim();
  if (response.body === undefined) return 'an empty body';
  return type === undefined ? 'a body without a content type' : `a ${type} body`;
}

/** Why the answer is not Caracal's, and what to check. */
function notCaracalHint(response: FailedResponse): string {
  const origin = response.url.origin;
  if (response.status >= 500) {
    return ` with ${bodyKind(response)}, not a Caracal error: a proxy or another service in front of ${origin} answered`;
  }
  return ` with ${bodyKind(response)}, not a Caracal error: ${origin}${response.url.pathname} does not look like a Caracal server; check coordinatorUrl (CARACAL_COORDINATOR_URL) and stsUrl (CARACAL_STS_URL)`;
}

/**
 * Turns a non-2xx response into a typed `CaracalError` carrying the status, the server's error
 * code and description, the `x-request-id`, and any `Retry-After`.
 * @internal
 */
export function errorFromResponse(response: FailedResponse): CaracalError {
  const { code: serverCode, description } = serverError(response.body);
  const requestId = headerText(response.headers['x-request-id']);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], response.nowMs);
  const summary = [`${response.method} ${response.url.pathname} failed with HTTP ${response.status}`];
  if (serverCode !== undefined) summary.push(`(${serverCode})`);
  let message = summary.join(' ');
  if (description !== undefined) message += `: ${description}`;
  // Every answer of a Caracal server carries { error, error_description }; without one, another
  // service answered (a wrong port or path in the URL, a proxy), and credentials are not the cause.
  if (serverCode === undefined) message += notCaracalHint(response);
  if (requestId !== undefined) message += ` [request id ${requestId}]`;
  return new CaracalError(codeForStatus(response.status), message, {
    status: response.status,
    serverCode,
    requestId,
    retryAfterMs,
    attempt: response.attempt,
  });
}
