import { isDigit, isLowerAlpha, isOws, isTracestateKeyChar } from './chars.ts';
import {
  TRACESTATE_MAX_KEY_LENGTH,
  TRACESTATE_MAX_MEMBERS,
  TRACESTATE_MAX_SYSTEM_LENGTH,
  TRACESTATE_MAX_TENANT_LENGTH,
  TRACESTATE_MAX_VALUE_LENGTH,
} from './constants.ts';

/**
 * One `tracestate` list-member.
 * @example
 * const entry: TracestateEntry = { key: 'rojo', value: '00f067aa0ba902b7' };
 * @since 0.1.0
 */
export interface TracestateEntry {
  readonly key: string;
  readonly value: string;
}

const EQUALS = 0x3d;
const COMMA = 0x2c;

/** `lcalpha 0*255(keychar)` or `(lcalpha / DIGIT) 0*240(keychar) "@" lcalpha 0*13(keychar)`. */
function isKey(text: string, from: number, to: number): boolean {
  const length = to - from;
  if (length < 1 || length > TRACESTATE_MAX_KEY_LENGTH) return false;
  const at = text.indexOf('@', from);
  if (at === -1 || at >= to) {
    if (!isLowerAlpha(text.charCodeAt(from))) return false;
    return isKeyTail(text, from + 1, to);
  }
  const tenantLength = at - from;
  const systemLength = to - at - 1;
  if (tenantLength < 1 || tenantLength > TRACESTATE_MAX_TENANT_LENGTH) return false;
  if (systemLength < 1 || systemLength > TRACESTATE_MAX_SYSTEM_LENGTH) return false;
  const first = text.charCodeAt(from);
  if (!isLowerAlpha(first) && !isDigit(first)) return false;
  if (!isLowerAlpha(text.charCodeAt(at + 1))) return false;
  // A second '@' is not a key character, so the tail checks reject it.
  return isKeyTail(text, from + 1, at) && isKeyTail(text, at + 2, to);
}

function isKeyTail(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    if (!isTracestateKeyChar(text.charCodeAt(index))) return false;
  }
  return true;
}

/** `0*255(chr) nblk-chr` with chr = %x20-7E except "," and "=". */
function isValue(text: string, from: number, to: number): boolean {
  const length = to - from;
  if (length < 1 || length > TRACESTATE_MAX_VALUE_LENGTH) return false;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === COMMA || code === EQUALS) return false;
  }
  return text.charCodeAt(to - 1) !== 0x20;
}

/**
 * Walks a `tracestate` list, pushing members into `entries` when given. Returns false on the
 * first rule broken; the spec asks receivers to drop an unparseable `tracestate` as a whole.
 */
function scan(text: string, entries: TracestateEntry[] | undefined): boolean {
  const keys: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end === -1) end = text.length;
    let from = start;
    let to = end;
    start = end + 1;
    while (from < to && isOws(text.charCodeAt(from))) from++;
    while (to > from && isOws(text.charCodeAt(to - 1))) to--;
    // Empty members are allowed: joining several tracestate headers can produce them.
    if (from === to) continue;
    if (keys.length === TRACESTATE_MAX_MEMBERS) return false;
    const equals = text.indexOf('=', from);
    if (equals === -1 || equals >= to) return false;
    if (!isKey(text, from, equals) || !isValue(text, equals + 1, to)) return false;
    const key = text.slice(from, equals);
    if (keys.includes(key)) return false;
    keys.push(key);
    entries?.push({ key, value: text.slice(equals + 1, to) });
  }
  return true;
}

function join(value: string | readonly string[]): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  for (const part of value) if (typeof part !== 'string') return null;
  return value.join(',');
}

/**
 * Parses a W3C `tracestate` value (or several header values, which form one list); `null` when
 * it breaks a rule.
 *
 * Keys are simple (`vendor`) or multi-tenant (`tenant@system`); values are printable ASCII
 * without `,` and `=`. Empty list-members and spaces or tabs around members are tolerated. A list
 * with a duplicate key or more than 32 members is discarded as a whole (`null`), which is what
 * the spec asks of a receiver that cannot parse the list; nothing is silently truncated.
 * Never throws.
 * @param value - one header value, or several in the order received.
 * @returns the list-members left-most first, or `null` when the list is invalid.
 * @example
 * parseTracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE');
 * // [{ key: 'rojo', value: '00f067aa0ba902b7' }, { key: 'congo', value: 't61rcWkgMzE' }]
 * @since 0.1.0
 */
export function parseTracestate(value: string | readonly string[]): TracestateEntry[] | null {
  const text = join(value);
  if (text === null) return null;
  const entries: TracestateEntry[] = [];
  return scan(text, entries) ? entries : null;
}

/**
 * True when `value` is a valid `tracestate` list; the allocation-free check behind `inject`.
 * @param value - one header value, or several in the order received.
 * @returns whether the list parses.
 * @example
 * isValidTracestate('rojo=00f067aa0ba902b7'); // true
 * @since 0.1.0
 */
export function isValidTracestate(value: string | readonly string[]): boolean {
  const text = join(value);
  return text !== null && scan(text, undefined);
}

/**
 * Formats `tracestate` list-members, left-most first; `null` when a key or value is invalid, a
 * key repeats, or there are more than 32 members, so an invalid header is never produced.
 * @param entries - list-members, left-most (most recent) first.
 * @returns the header value, or `null` when an entry is invalid.
 * @example
 * formatTracestate([{ key: 'rojo', value: '00f067aa0ba902b7' }]); // 'rojo=00f067aa0ba902b7'
 * @since 0.1.0
 */
export function formatTracestate(entries: readonly TracestateEntry[]): string | null {
  if (!Array.isArray(entries) || entries.length > TRACESTATE_MAX_MEMBERS) return null;
  const keys: string[] = [];
  let text = '';
  for (const entry of entries) {
    const { key, value } = entry;
    if (typeof key !== 'string' || typeof value !== 'string') return null;
    if (!isKey(key, 0, key.length) || !isValue(value, 0, value.length)) return null;
    if (keys.includes(key)) return null;
    keys.push(key);
    text = text === '' ? `${key}=${value}` : `${text},${key}=${value}`;
  }
  return text;
}
