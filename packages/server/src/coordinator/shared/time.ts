import { badRequest } from '../../http/server-error.ts';

/** ISO 8601 text of a timestamp column. */
export function isoText(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** ISO 8601 text of a nullable timestamp column, or null. */
export function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : isoText(value);
}

/** Parses a `date-time` field; refuses values a JS Date cannot represent (e.g. a leap second). */
export function parseTimestamp(value: string, field: string): number {
  const milliseconds = Date.parse(value);
  if (Number.isNaN(milliseconds)) throw badRequest(`${field} is not a valid timestamp`);
  return milliseconds;
}

/**
 * When something ends, from a request that may name it as a timestamp (`at`) or as seconds from
 * `now`, not both; undefined when it names neither. `fields` are the two fields' names, for errors.
 */
export function endFromRequest(
  at: string | undefined,
  seconds: number | undefined,
  fields: readonly [at: string, seconds: string],
  now: number,
): number | undefined {
  if (at !== undefined && seconds !== undefined) throw badRequest(`give ${fields[0]} or ${fields[1]}, not both`);
  if (at !== undefined) return parseTimestamp(at, fields[0]);
  return seconds === undefined ? undefined : now + seconds * 1000;
}
