/**
 * Where a request can carry a string, read from a route's own JSON schemas, and how to put a
 * string there: the fuzz derives every field from the schemas the running app registered, so a
 * new field is fuzzed without anyone listing it.
 */

/** The position of a new record key (its value is a plain `'v'`). */
export const RECORD_KEY = Symbol('record key');
export type PathSegment = string | number | typeof RECORD_KEY;

export type RequestPart = 'params' | 'query' | 'headers' | 'body';

/** One place a string goes: a request part and the path inside it. */
export interface StringSlot {
  part: RequestPart;
  path: PathSegment[];
}

type Schema = Record<string, unknown>;

const MAX_DEPTH = 6;

/** Every path in `schema` that holds a string, a record key, or an unknown value (where a string fits too). */
export function stringPaths(schema: unknown, path: PathSegment[] = []): PathSegment[][] {
  if (typeof schema !== 'object' || schema === null || path.length > MAX_DEPTH) return [];
  const node = schema as Schema;
  const alternatives = [...((node.anyOf as unknown[] | undefined) ?? []), ...((node.oneOf as unknown[] | undefined) ?? [])];
  if (alternatives.length > 0) return unique(alternatives.flatMap((alternative) => stringPaths(alternative, path)));
  const type = node.type;
  if (type === 'string') return [path];
  if (type === 'array') return stringPaths(node.items, [...path, 0]);
  if (type === 'object') {
    const properties = Object.entries((node.properties as Record<string, unknown> | undefined) ?? {});
    const found = properties.flatMap(([name, property]) => stringPaths(property, [...path, name]));
    const patterned = Object.values((node.patternProperties as Record<string, unknown> | undefined) ?? {});
    const additional = typeof node.additionalProperties === 'object' ? [node.additionalProperties] : [];
    const values = [...patterned, ...additional];
    if (values.length > 0) found.push([...path, RECORD_KEY], ...unique(values.flatMap((value) => stringPaths(value, [...path, 'k']))));
    return found;
  }
  // No type: `Type.Unknown()` (metadata values, invocation input); any JSON, a string too.
  if (type === undefined && node.const === undefined && node.enum === undefined && node.not === undefined) return [path];
  return [];
}

function unique(paths: PathSegment[][]): PathSegment[][] {
  const seen = new Map<string, PathSegment[]>();
  for (const path of paths) seen.set(path.map((segment) => (segment === RECORD_KEY ? '{key}' : String(segment))).join('.'), path);
  return [...seen.values()];
}

/** A readable name of a slot, as failures and reports show it. */
export function slotName(slot: StringSlot): string {
  return `${slot.part}.${slot.path.map((segment) => (segment === RECORD_KEY ? '{key}' : String(segment))).join('.')}`;
}

/** The string at `path` in `target`, when there is one (the base value the fuzz mutates). */
export function stringAt(target: unknown, path: PathSegment[]): string | undefined {
  let current = target;
  for (const segment of path) {
    if (segment === RECORD_KEY || typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return typeof current === 'string' ? current : undefined;
}

/** A copy of `target` with `value` at `path` (objects and arrays made on the way). */
export function withStringAt(target: unknown, path: PathSegment[], value: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (head === RECORD_KEY) {
    const record = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
    record[value] = 'v';
    return record;
  }
  if (typeof head === 'number') {
    const list = Array.isArray(target) ? [...(target as unknown[])] : [];
    list[head] = withStringAt(list[head], rest, value);
    return list;
  }
  const record = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  record[head] = withStringAt(record[head], rest, value);
  return record;
}

/**
 * Percent-encodes `text` as a careless client would: a lone surrogate becomes the three bytes of
 * its (invalid) UTF-8 form rather than an error, so the server meets bytes that do not decode.
 */
export function percentEncode(text: string): string {
  let encoded = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(text.slice(index, index + 2));
      index += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      encoded += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(text[index]!);
    }
  }
  return encoded;
}

/**
 * A header value as it would arrive over the wire: the UTF-8 bytes read as latin1, without the
 * control characters an HTTP parser refuses before any route runs.
 */
export function headerValue(text: string): string {
  const wire = Buffer.from(text, 'utf8').toString('latin1');
  return [...wire].filter((character) => character === '\t' || (character >= ' ' && character !== '\u007f')).join('');
}
