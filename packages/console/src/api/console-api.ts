import { createAdminClient, type AdminClient } from '@caracal/sdk/admin';

export type { AdminClient };

/**
 * The admin client the whole console uses, on the page's own origin (no CORS needed) with the
 * operator mandate as its bearer token.
 */
export function createConsoleApi(options: { origin: string; token: string; zoneId: string }): AdminClient {
  return createAdminClient({ baseUrl: options.origin, token: options.token, zoneId: options.zoneId });
}

/** Everything an async iterator of pages yields, as one array. */
export async function collect<T>(items: AsyncIterable<T>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
    if (all.length >= limit) break;
  }
  return all;
}

/**
 * The rows of a list answer, whichever form the client gives it: an async iterator over pages,
 * an array, or a wire body holding the array under `key` (`{ runners: [...] }`).
 */
export async function rowsOf<T>(answer: unknown, key: string, limit = 2000): Promise<T[]> {
  const value = await answer;
  if (value !== null && typeof value === 'object' && Symbol.asyncIterator in value) return collect(value as AsyncIterable<T>, limit);
  if (Array.isArray(value)) return value as T[];
  const field = (value as Record<string, unknown> | null)?.[key];
  return Array.isArray(field) ? (field as T[]) : [];
}
