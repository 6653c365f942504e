/**
 * Every error the SDK raises is a `CaracalError` with a string `code`, so callers branch on codes,
 * never on message text. The brand survives two installed copies of the SDK, where a bare
 * `instanceof` against one copy's class would fail.
 */

/** @since 0.1.0 */
export type CaracalErrorCode =
  | 'CONFIG_INVALID'
  | 'NO_ACTIVE_CONTEXT'
  | 'NO_AGENT_SESSION'
  | 'HOP_LIMIT_EXCEEDED'
  | 'INVALID_ARGUMENT'
  | 'REQUEST_FAILED'
  | 'REQUEST_TIMEOUT'
  | 'REQUEST_ABORTED'
  | 'NETWORK_ERROR'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'INVALID_RESPONSE'
  | 'TOKEN_EXCHANGE_FAILED'
  | 'MANDATE_INVALID'
  | 'MANDATE_REVOKED'
  | 'MANDATE_REPLAYED'
  | 'REVOCATION_UNAVAILABLE'
  | 'RUN_STOPPED'
  | 'RUNNER_CLOSED';

const brand: unique symbol = Symbol.for('caracal.error') as never;

/** Extra, typed facts an error may carry. */
export interface CaracalErrorDetails {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** The server's `error` code (`invalid_grant`, `limit_exceeded`, …). */
  serverCode?: string;
  /** The server's request id, for support and logs. */
  requestId?: string;
  /** How long the server asked us to wait (from `Retry-After`). */
  retryAfterMs?: number;
  /** Which attempt failed (1-based) when retries were involved. */
  attempt?: number;
  /** The option or environment variable a configuration error is about (the first one). */
  setting?: string;
  /** Every option or environment variable a configuration error is about, in order. */
  settings?: readonly string[];
  cause?: unknown;
}

/**
 * The one error class of the SDK.
 * @example
 * try { await caracal.delegate({ to: workerSessionId, scopes: ['tools:call'] }, runWorker) }
 * catch (error) { if (isCaracalError(error) && error.code === 'NO_ACTIVE_CONTEXT') log.warn('delegate() runs inside spawn()') }
 * @since 0.1.0
 */
export class CaracalError extends Error {
  readonly code: CaracalErrorCode;
  readonly status: number | undefined;
  readonly serverCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempt: number | undefined;
  readonly setting: string | undefined;
  readonly settings: readonly string[] | undefined;
  readonly [brand] = true;

  constructor(code: CaracalErrorCode, message: string, details: CaracalErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CaracalError';
    this.code = code;
    this.status = details.status;
    this.serverCode = details.serverCode;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.attempt = details.attempt;
    this.setting = details.setting ?? details.settings?.[0];
    this.settings = details.settings === undefined ? undefined : Object.freeze([...details.settings]);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isCaracalError(value);
  }
}

/** True for any `CaracalError`, from this copy of the SDK or another one. @since 0.1.0 */
export function isCaracalError(value: unknown): value is CaracalError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
