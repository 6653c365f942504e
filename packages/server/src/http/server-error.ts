import type { ServerErrorCode } from '@caracal/protocol';

/**
 * Errors that reach the wire as `{ error, error_description }` with a 4xx status. Anything that is
 * not a ServerError is a bug or an outage: the error handler maps it to a safe answer and logs it.
 * The code is one of the contract's ServerErrorCode list (docs/errors.md says what each means).
 */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly statusCode: number;
  readonly headers: Record<string, string> | undefined;

  constructor(statusCode: number, code: ServerErrorCode, description: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerError';
    this.code = code;
    this.statusCode = statusCode;
    this.headers = options.headers;
  }
}

export const badRequest = (description: string): ServerError => new ServerError(400, 'invalid_request', description);
export const unauthorized = (description: string): ServerError =>
  new ServerError(401, 'invalid_token', description, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
export const forbidden = (description: string, code: ServerErrorCode = 'forbidden'): ServerError => new ServerError(403, code, description);
export const notFound = (description: string): ServerError => new ServerError(404, 'not_found', description);
export const conflict = (description: string, code: ServerErrorCode = 'conflict'): ServerError => new ServerError(409, code, description);
