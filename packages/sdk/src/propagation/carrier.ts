import { findHeaderKey } from './headers.ts';

/**
 * Reads a header from an arbitrary carrier during inject, where OpenTelemetry hands over only a
 * setter: `Headers` and `Map` through `get`, plain objects in any letter case.
 * @internal
 */
export function readCarrier(carrier: unknown, lowerName: string): string | readonly string[] | undefined {
  if (carrier === null || typeof carrier !== 'object') return undefined;
  const get = (carrier as { get?: unknown }).get;
  if (typeof get === 'function') {
    try {
      const value: unknown = get.call(carrier, lowerName);
      return typeof value === 'string' ? value : undefined;
    } catch {
      // A foreign carrier whose get throws is treated as not holding the header.
      return undefined;
    }
  }
  const key = findHeaderKey(carrier, lowerName);
  if (key === undefined) return undefined;
  const value: unknown = (carrier as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && value.every((part) => typeof part === 'string') ? (value as string[]) : undefined;
}
