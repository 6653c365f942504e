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

/**
 * Headers read through a getter, as the fetch API's `Headers` (and `Map`-like carriers) expose
 * them: names in any letter case, several values of one name joined by `, `.
 * @example
 * const lineageOf = (request: Request) => extract(request.headers satisfies HeaderGetter); // a fetch Request
 * @since 0.1.0
 */
export interface HeaderGetter {
  get(name: string): string | null | undefined;
}

/** True for a getter carrier; a plain record never holds a function, whatever its keys. */
export function isHeaderGetter(headers: object): headers is HeaderGetter {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/** The headers `names` of a getter carrier as a plain record (absent ones left out). */
export function headersFromGetter(headers: HeaderGetter, names: readonly string[]): IncomingHeaders {
  const record: Record<string, string> = {};
  for (const name of names) {
    const value = headers.get(name);
    if (typeof value === 'string') record[name] = value;
  }
  return record;
}

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
