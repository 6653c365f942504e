/**
 * Header lookup on plain objects. Node delivers lowercase names, so the lowercase name is tried
 * first; other spellings (`Traceparent`, from hand-built objects) are found by a scan that only
 * runs when the lowercase lookup misses.
 * @internal
 */

/**
 * Incoming headers as Node and most frameworks hand them over.
 * @example
 * extract(request.headers satisfies IncomingHeaders);
 * @since 0.1.0
 */
export type IncomingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The key under which `headers` holds `lowerName`, in any letter case; undefined when absent. */
export function findHeaderKey(headers: object, lowerName: string): string | undefined {
  if ((headers as Record<string, unknown>)[lowerName] !== undefined) return lowerName;
  for (const key in headers) {
    if (key.length === lowerName.length && key.toLowerCase() === lowerName && (headers as Record<string, unknown>)[key] !== undefined) {
      return key;
    }
  }
  return undefined;
}

/** The value of header `lowerName`, in any letter case. */
export function readHeader(headers: IncomingHeaders, lowerName: string): string | readonly string[] | undefined {
  const direct = headers[lowerName];
  if (direct !== undefined) return direct;
  const key = findHeaderKey(headers, lowerName);
  return key === undefined ? undefined : headers[key];
}
