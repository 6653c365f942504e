import type { ServerErrorCode } from '@caracal/protocol';

/** What an admin call failed with: a server's wire code, or `network` when nothing answered. */
export type AdminErrorCode = ServerErrorCode | 'network';

/**
 * A refused or failed admin call. `code` is the server's `error` (docs/errors.md; a code added after
 * this client was built comes through as written), `description` its `error_description`;
 * `status` is 0 for `network`.
 */
export class CaracalAdminError extends Error {
  readonly status: number;
  readonly code: AdminErrorCode;
  readonly description: string;
  /** The server's `x-request-id`, to find the request in its logs. */
  readonly requestId: string | undefined;

  constructor(status: number, code: AdminErrorCode, description: string, options: { requestId?: string | undefined; cause?: unknown } = {}) {
    super(`${code}: ${description}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CaracalAdminError';
    this.status = status;
    this.code = code;
    this.description = description;
    this.requestId = options.requestId;
  }
}

/**
 * The error of a non-2xx answer. A body that is not the wire error (a proxy's page, a crash) still
 * gives a code: `server_error` for a 5xx, `invalid_request` otherwise, and a snippet of the text.
 */
export function adminErrorOf(status: number, text: string, requestId: string | undefined): CaracalAdminError {
  let body: { error?: unknown; error_description?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  // A code newer than this client is passed on as the server wrote it.
  const wire = typeof body?.error === 'string' && body.error !== '' ? body.error : undefined;
  const code = (wire ?? (status >= 500 ? 'server_error' : 'invalid_request')) as ServerErrorCode;
  const description =
    typeof body?.error_description === 'string' && body.error_description !== ''
      ? body.error_description
      : text.trim().slice(0, 200) || `the server answered HTTP ${status}`;
  return new CaracalAdminError(status, code, description, { requestId });
}
