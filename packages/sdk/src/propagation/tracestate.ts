import { isDigit, isLowerAlpha, isOws, isTracestateKeyChar } from './chars.ts';
import { TRACESTATE_MAX_KEY_LENGTH, TRACESTATE_MAX_MEMBERS, TRACESTATE_MAX_VALUE_LENGTH } from './constants.ts';

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

/**
 * Trace Context Level 2: `( lcalpha / DIGIT ) 0*255( keychar )`, keychar = lcalpha / DIGIT / "_" /
 * "-" / "*" / "/" / "@". Level 1's separate `tenant@system` form, with its 241/14 split, is gone:
 * `@` is an ordinary key character and 256 characters is the only limit.
 */
function isKey(text: string, from: number, to: number): boolean {
  const length = to - from;
  if (length < 1 || length > TRACESTATE_MAX_KEY_LENGTH) return false;
  const first = text.charCodeAt(from);
  if (!isLowerAlpha(first) && !isDigit(first)) return false;
  for (let index = from + 1; index < to; index++) {
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

/** What {@link scan} returns for a list it cannot parse. */
const INVALID = -1;

/**
 * Walks a `tracestate` list, pushing members into `entries` when given. Returns {@link INVALID}
 * on the first rule broken (the spec asks receivers to drop an unparseable `tracestate` as a
 * whole), else the number of members dropped as repeats of an earlier key.
 *
 * A repeated key does not make the list unparseable (a receiver MAY remove duplicates or pass
 * them on); only the first, left-most (most recent) member of a key is kept. Members are counted
 * as sent, repeats included, against the 32-member limit.
 */
function scan(text: string, entries: TracestateEntry[] | undefined): number {
  const keys: string[] = [];
  let repeats = 0;
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
    if (keys.length + repeats === TRACESTATE_MAX_MEMBERS) return INVALID;
    const equals = text.indexOf('=', from);
    if (equals === -1 || equals >= to) return INVALID;
    if (!isKey(text, from, equals) || !isValue(text, equals + 1, to)) return INVALID;
    const key = text.slice(from, equals);
    if (keys.includes(key)) {
      repeats++;
      continue;
    }
    keys.push(key);
    entries?.push({ key, value: text.slice(equals + 1, to) });
  }
  return repeats;
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
 * Keys follow Trace Context Level 2: a lowercase letter or digit, then up to 255 of
 * `a-z 0-9 _ - * / @` (so `vendor`, `tenant@system` and `foo@` are all keys); values are printable
 * ASCII without `,` and `=`. Empty list-members and spaces or tabs around members are tolerated.
 * A repeated key keeps its first (left-most, most recent) member; later ones are dropped, which
 * the spec allows a receiver. A list with an invalid member or more than 32 members is discarded
 * as a whole (`null`), which is what the spec asks of a receiver that cannot parse the list;
 * nothing is silently truncated. Never throws.
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
  return scan(text, entries) === INVALID ? null : entries;
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
  return text !== null && scan(text, undefined) !== INVALID;
}

/**
 * The `tracestate` a receiver passes on: `value` trimmed when it is a valid list without repeated
 * keys, the list without its repeats (first member of each key kept) when it has some, `null`
 * when it is invalid. Caracal never sends a key twice, even one it received twice.
 * @internal
 */
export function receivedTracestate(value: string): string | null {
  const repeats = scan(value, undefined);
  if (repeats === INVALID) return null;
  if (repeats === 0) return value.trim();
  return formatTracestate(parseTracestate(value)!);
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
