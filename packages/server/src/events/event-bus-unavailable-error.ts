/**
 * The bus could not be reached (connection refused, lost, or a command timed out). Publishers
 * treat it as an outage: they stop claiming outbox rows and probe until the bus answers again,
 * so an outage never burns through the rows' attempts.
 */
export class EventBusUnavailableError extends Error {
  readonly code = 'bus_unavailable';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EventBusUnavailableError';
  }
}

/** Brand check that survives two copies of this module (no bare `instanceof`). */
export function isEventBusUnavailable(error: unknown): error is EventBusUnavailableError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'bus_unavailable';
}
