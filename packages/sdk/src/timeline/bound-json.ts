/**
 * Keeping reported values small: a timeline event must fit the server's size limit, and an agent
 * must not ship a megabyte of tool output with every call. What is cut says so with a marker.
 * @internal
 */

const encoder = new TextEncoder();

/** Appended to a string that was cut; says how many bytes of it were dropped. */
export const truncationMarker = (droppedBytes: number): string => `…[truncated ${droppedBytes} bytes]`;

/** UTF-8 length of `text`. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that does not split a character. */
function prefixWithin(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.byteLength <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Step back to the start of a character (UTF-8 continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** `text` if it fits in `maxBytes`, else a prefix of it plus the truncation marker, within `maxBytes` in all. */
export function boundText(text: string, maxBytes: number): string {
  const size = byteLength(text);
  if (size <= maxBytes) return text;
  // The marker's own length depends on the count; reserve room for the widest it can be.
  const room = Math.max(0, maxBytes - byteLength(truncationMarker(size)));
  const kept = prefixWithin(text, room);
  return kept + truncationMarker(size - byteLength(kept));
}

/** JSON text of `value`, or `undefined` when it has none (a function, a symbol) or cannot be serialized (cycles, BigInt). */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) as string | undefined;
  } catch {
    return undefined;
  }
}

/** What replaces a JSON value too large to report: its size and the start of its JSON text. */
export interface TruncatedJson {
  readonly _truncated: true;
  readonly bytes: number;
  readonly preview: string;
}

/**
 * `value` as a plain JSON value if its JSON text fits in `maxBytes`; otherwise a
 * {@link TruncatedJson} object holding a bounded preview. Values JSON cannot carry become a
 * short description instead of failing.
 */
export function boundJson(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return undefined;
  const text = jsonText(value);
  if (text === undefined) return { _unserializable: true, type: typeof value };
  if (byteLength(text) <= maxBytes) return JSON.parse(text) as unknown;
  const previewBytes = Math.max(0, maxBytes - 64);
  const truncated: TruncatedJson = { _truncated: true, bytes: byteLength(text), preview: boundText(text, previewBytes) };
  return truncated;
}

/** Like {@link boundJson}, for fields that must stay a JSON object (`tool_input`). */
export function boundJsonObject(value: Readonly<Record<string, unknown>>, maxBytes: number): Record<string, unknown> {
  const bounded = boundJson(value, maxBytes);
  return typeof bounded === 'object' && bounded !== null && !Array.isArray(bounded) ? (bounded as Record<string, unknown>) : { value: bounded };
}
