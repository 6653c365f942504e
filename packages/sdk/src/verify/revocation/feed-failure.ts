import { CaracalError, isCaracalError, type CaracalErrorCode } from '../../errors.ts';
import type { VerifierFetchResponse } from '../core/verifier-fetch.ts';
import { readCaracalErrorBody } from '../../http/caracal-error-body.ts';

const CODE_FOR_STATUS: ReadonlyMap<number, CaracalErrorCode> = new Map([
  [401, 'UNAUTHORIZED'],
  [403, 'FORBIDDEN'],
  [404, 'NOT_FOUND'],
  [429, 'RATE_LIMITED'],
]);

/** What to do about a refused feed connection, by status. */
function advice(status: number, caracal: boolean, origin: string): string {
  if (!caracal) return `${origin} does not look like a Caracal Coordinator (no Caracal error body): check the source's url`;
  if (status === 401) return 'give a current session mandate of this zone as token or tokenSource';
  if (status === 403) return "the token's application may not read this zone's feed";
  return 'the source keeps retrying';
}

/**
 * A refused feed connection as a typed error naming the cause: `UNAUTHORIZED` (401),
 * `FORBIDDEN` (403), `NOT_FOUND` … with the server's code and description.
 * @internal
 */
export async function feedResponseError(response: VerifierFetchResponse, url: string): Promise<CaracalError> {
  const { status } = response;
  const { code: serverCode, description } = await readCaracalErrorBody(response);
  const origin = new URL(url).origin;
  let message = `The revocation feed at ${origin} answered HTTP ${status}`;
  if (serverCode !== undefined) message += ` (${serverCode}${description === undefined ? '' : `: ${description}`})`;
  message += `; ${advice(status, serverCode !== undefined, origin)}.`;
  const code = CODE_FOR_STATUS.get(status) ?? (status >= 500 ? 'SERVER_ERROR' : 'REQUEST_FAILED');
  return new CaracalError(code, message, { status, serverCode, requestId: response.headers.get('x-request-id') ?? undefined });
}

/** Any failure of a connection attempt as a CaracalError: fetch's own errors become `NETWORK_ERROR`. @internal */
export function feedFailure(error: unknown, url: string): CaracalError {
  if (isCaracalError(error)) return error;
  let code: unknown;
  for (let current = error, depth = 0; current !== undefined && current !== null && code === undefined && depth < 4; depth++) {
    code = (current as { code?: unknown }).code;
    current = (current as { cause?: unknown }).cause;
  }
  const origin = new URL(url).origin;
  return new CaracalError('NETWORK_ERROR', `The revocation feed at ${origin} could not be reached${typeof code === 'string' ? ` (${code})` : ''}.`, { cause: error });
}
