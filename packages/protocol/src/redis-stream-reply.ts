/**
 * Readers of raw Redis stream replies, shared by the server's event bus and the SDK's Redis
 * revocation source. Both send commands through a bare `sendCommand` (the SDK also accepts
 * ioredis), so replies arrive untyped: RESP2 nested arrays, or RESP3 maps. Both shapes are read;
 * anything else reads as no entries. Pure and total.
 */

/** One stream entry. `fields` is undefined for an entry deleted while still pending in a group. */
export interface StreamEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>> | undefined;
}

/** A stream entry that still has its fields. */
export type PresentStreamEntry = StreamEntry & { readonly fields: Readonly<Record<string, string>> };

const utf8 = new TextDecoder();

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return utf8.decode(value);
  return undefined;
}

/** `[field, value, …]` (RESP2) or a field → value map (RESP3); null-prototype, frozen. */
function readFields(raw: unknown): Readonly<Record<string, string>> | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  // No prototype: a field named `__proto__` is data, not a prototype switch.
  const fields = Object.create(null) as Record<string, string>;
  if (Array.isArray(raw)) {
    for (let index = 0; index + 1 < raw.length; index += 2) {
      const name = asText(raw[index]);
      const value = asText(raw[index + 1]);
      if (name !== undefined && value !== undefined) fields[name] = value;
    }
  } else {
    const pairs = raw instanceof Map ? [...(raw as Map<unknown, unknown>)] : Object.entries(raw);
    for (const [rawName, rawValue] of pairs) {
      const name = asText(rawName);
      const value = asText(rawValue);
      if (name !== undefined && value !== undefined) fields[name] = value;
    }
  }
  return Object.freeze(fields);
}

/** An XRANGE / XREVRANGE reply, or one stream's part of an XREAD / XREADGROUP reply. */
export function readStreamEntries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: StreamEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item)) continue;
    const id = asText(item[0]);
    if (id !== undefined) entries.push({ id, fields: readFields(item[1]) });
  }
  return entries;
}

/**
 * The entries of `stream` in an XREAD / XREADGROUP reply: RESP2 `[[stream, entries], …]` or
 * RESP3's map; `null` (a block that timed out) is no entries.
 */
export function readStreamReply(reply: unknown, stream: string): StreamEntry[] {
  if (reply === null || typeof reply !== 'object') return [];
  if (Array.isArray(reply)) {
    for (const item of reply) if (Array.isArray(item) && asText(item[0]) === stream) return readStreamEntries(item[1]);
    return [];
  }
  if (reply instanceof Map) return readStreamEntries((reply as Map<unknown, unknown>).get(stream));
  return readStreamEntries((reply as Record<string, unknown>)[stream]);
}

/** Whether `entry` still has its fields (XRANGE and XREAD entries always do). */
export function isPresentStreamEntry(entry: StreamEntry): entry is PresentStreamEntry {
  return entry.fields !== undefined;
}
