import { ErrorReply } from 'redis';
import { EventBusUnavailableError } from './event-bus-unavailable-error.ts';

/** Server replies that mean "Redis is not serving right now", not "this entry is bad". */
const TRANSIENT_REPLY_PREFIXES = ['LOADING', 'BUSY', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'CLUSTERDOWN'];

/**
 * Maps a node-redis failure to what the caller should do: an `EventBusUnavailableError` for
 * connection-level failures (offline, closed, timed out, restarting), the error itself for a
 * real reply error about the command.
 */
export function toBusError(error: unknown, action: string): Error {
  if (error instanceof ErrorReply && !TRANSIENT_REPLY_PREFIXES.some((prefix) => error.message.startsWith(prefix))) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new EventBusUnavailableError(`redis unavailable during ${action}: ${reason}`, { cause: error });
}

/** Rejects with an `EventBusUnavailableError` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, action: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new EventBusUnavailableError(`redis ${action} timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
