import { CliError } from '../errors.ts';
import { serverFailure } from './server-failure.ts';

/** One JSON call to the Coordinator or STS. */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (the OAuth token endpoint); undefined fields are left out. */
  form?: Readonly<Record<string, string | undefined>>;
}

/** Long enough for a cold embedded server, short enough that a wedged one does not hang a shell. */
const TIMEOUT_MS = 30_000;

/**
 * Sends the request with undici and returns the parsed JSON body of a 2xx answer. Anything else
 * becomes a CliError: `http_error` carrying the server's code, description and request id,
 * `connection_failed` when nothing answered, `invalid_response` when the body is not JSON.
 */
export async function requestJson(request: JsonRequest): Promise<unknown> {
  // Loaded on first use: undici costs ~80 ms to import and `caracal --help` should not pay it.
  const { request: send } = await import('undici');
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'caracal-cli' };
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = Object.entries(request.form).filter((field): field is [string, string] => field[1] !== undefined);
    body = new URLSearchParams(fields).toString();
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send(request.url, { method: request.method, headers, body, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  } catch (error) {
    throw new CliError('connection_failed', `cannot reach ${new URL(request.url).origin}: ${describeNetworkError(error)}`, { cause: error });
  }
  const text = await response.body.text();
  const requestId = headerValue(response.headers['x-request-id']);
  if (response.statusCode < 200 || response.statusCode > 299) {
    const failure = serverFailure(response.statusCode, text, requestId);
    throw new CliError('http_error', `${failure.error}: ${failure.description}`, { server: failure });
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('invalid_response', `${request.method} ${new URL(request.url).pathname} answered ${response.statusCode} with a body that is not JSON`, { cause: error });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}`.trim() : message || String(code);
}
