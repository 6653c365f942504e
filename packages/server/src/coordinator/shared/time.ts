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
