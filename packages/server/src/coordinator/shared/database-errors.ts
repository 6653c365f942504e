import { isServerErrorCode } from '@caracal/protocol';
import { ServerError } from '../../http/server-error.ts';

/**
 * Statements refuse a request by calling `coordinator_refuse(status, code, description)`, which
 * raises SQLSTATE `CR<status>` with the wire code in DETAIL; the whole statement rolls back.
 * This turns such an error into the ServerError it stands for, and returns undefined otherwise.
 */
export function refusalFrom(error: unknown): ServerError | undefined {
  const { code, detail, message } = error as { code?: unknown; detail?: unknown; message?: unknown };
  if (typeof code !== 'string' || !/^CR\d{3}$/.test(code)) return undefined;
  // A code missing from the contract's list still answers, as the generic `conflict`; the error-code test lists the SQL's codes.
  return new ServerError(Number(code.slice(2)), isServerErrorCode(detail) ? detail : 'conflict', String(message), {
    cause: error,
  });
}

/** True for a unique violation of `constraint` (a concurrent insert won the race). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && (name === undefined || name === constraint);
}

/** Runs a statement and rethrows its refusals as ServerErrors. */
export async function refusing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw refusalFrom(error) ?? error;
  }
}
