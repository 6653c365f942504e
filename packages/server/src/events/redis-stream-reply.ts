import type { BusEntry } from './event-bus.ts';

/**
 * Pure decoders for Redis stream replies. node-redis hands `sendCommand` replies back as nested
 * arrays (RESP2) or maps (RESP3); both shapes are accepted, anything else decodes to nothing.
 */

/** One `[id, [field, value, …]]` entry of XRANGE / XREAD. */
export function decodeStreamEntry(raw: unknown): BusEntry | undefined {
  if (!Array.isArray(raw) || raw.length < 2) return undefined;
  const id = asString(raw[0]);
  if (id === undefined) return undefined;
  const fields: Record<string, string> = {};
  const rawFields: unknown = raw[1];
  if (Array.isArray(rawFields)) {
    for (let index = 0; index + 1 < rawFields.length; index += 2) {
      const key = asString(rawFields[index]);
      const value = asString(rawFields[index + 1]);
      if (key !== undefined && value !== undefined) fields[key] = value;
    }
  } else if (rawFields !== null && typeof rawFields === 'object') {
    for (const [key, value] of Object.entries(rawFields)) {
      const text = asString(value);
      if (text !== undefined) fields[key] = text;
    }
  } else {
    return undefined;
  }
  return { id, fields: Object.freeze(fields) };
}

/** An XRANGE / XREVRANGE reply. */
export function decodeStreamEntries(raw: unknown): BusEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: BusEntry[] = [];
  for (const item of raw) {
    const entry = decodeStreamEntry(item);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/** An XREAD reply for one stream key: `null` on timeout, else that key's entries. */
export function decodeXreadReply(raw: unknown, key: string): BusEntry[] {
  if (raw === null || raw === undefined) return [];
  if (raw instanceof Map) return decodeStreamEntries(raw.get(key));
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (Array.isArray(item) && asString(item[0]) === key) return decodeStreamEntries(item[1]);
    }
    return [];
  }
  if (typeof raw === 'object') return decodeStreamEntries((raw as Record<string, unknown>)[key]);
  return [];
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}
