/** One stream entry; `fields` is undefined for an entry deleted while pending. @internal */
export interface StreamEntry {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>> | undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

function readFields(raw: unknown): Record<string, string> | undefined {
  if (Array.isArray(raw)) {
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      const name = asText(raw[index]);
      const value = asText(raw[index + 1]);
      if (name !== undefined && value !== undefined) fields[name] = value;
    }
    return fields;
  }
  return undefined;
}

function readEntries(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: StreamEntry[] = [];
  for (const item of raw) {
    if (!Array.isArray(item)) continue;
    const id = asText(item[0]);
    if (id !== undefined) entries.push({ id, fields: readFields(item[1]) });
  }
  return entries;
}

/**
 * The entries of `stream` in a raw `XREADGROUP` reply: RESP2 `[[stream, [[id, [f, v, …]], …]]]`
 * or RESP3's map form; `null` (a block that timed out) is no entries.
 * @internal
 */
export function readStreamReply(reply: unknown, stream: string): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  if (Array.isArray(reply)) {
    for (const item of reply) if (Array.isArray(item) && asText(item[0]) === stream) return readEntries(item[1]);
    return [];
  }
  if (reply instanceof Map) return readEntries(reply.get(stream));
  if (typeof reply === 'object') return readEntries((reply as Record<string, unknown>)[stream]);
  return [];
}
