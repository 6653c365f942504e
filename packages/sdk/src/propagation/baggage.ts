import { BAGGAGE_OCTET_TABLE, isBaggageOctet, isOws, isTchar, isToken, TCHAR_TABLE } from './chars.ts';
import { BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS } from './constants.ts';
import { percentDecode, percentEncode } from './percent-encoding.ts';

/**
 * One W3C Baggage list-member.
 * @since 0.1.0
 */
export interface BaggageEntry {
  /** An RFC 9110 token; keys are not percent-encoded. */
  readonly key: string;
  /** The decoded value (any Unicode text). */
  readonly value: string;
  /** Everything after the first `;`, raw: e.g. `ttl=30;internal`. Absent when there is none. */
  readonly properties?: string;
}

const EQUALS = 0x3d;
const SEMICOLON = 0x3b;
const COMMA = 0x2c;
const PERCENT = 0x25;
// Local copies: the JIT can treat a module's own constants as fixed, but reloads imported bindings.
const TCHARS = TCHAR_TABLE;
const OCTETS = BAGGAGE_OCTET_TABLE;

function skipOws(text: string, index: number, to: number): number {
  while (index < to) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09) break;
    index++;
  }
  return index;
}

function skipTchars(text: string, index: number, to: number): number {
  while (index < to && isTchar(text.charCodeAt(index))) index++;
  return index;
}

function skipOctets(text: string, index: number, to: number): number {
  while (index < to && isBaggageOctet(text.charCodeAt(index))) index++;
  return index;
}

/** `property *( OWS ";" OWS property )` with property = `key OWS [ "=" OWS value ]`, over [from, to). */
function isProperties(text: string, from: number, to: number): boolean {
  let index = from;
  for (;;) {
    const keyEnd = skipTchars(text, index, to);
    if (keyEnd === index) return false;
    index = skipOws(text, keyEnd, to);
    if (index < to && text.charCodeAt(index) === EQUALS) {
      index = skipOws(text, skipOctets(text, skipOws(text, index + 1, to), to), to);
    }
    if (index === to) return true;
    if (text.charCodeAt(index) !== SEMICOLON) return false;
    index = skipOws(text, index + 1, to);
  }
}

/**
 * Receives each list-member as {@link scanBaggage} reads it. The key arrives as a range of `text`
 * so a reader that recognises it in place need not allocate it.
 * @internal
 */
export interface BaggageSink {
  member(text: string, keyStart: number, keyEnd: number, value: string, properties: string | undefined): void;
}

/** One header value, or several joined into one list; null when a part is not a string. */
export function joinBaggage(value: string | readonly string[]): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  for (const part of value) if (typeof part !== 'string') return null;
  return value.join(',');
}

/** End of the member starting at `from`, trailing OWS excluded, for the limit check. */
function memberEnd(text: string, from: number): number {
  let end = text.indexOf(',', from);
  if (end === -1) end = text.length;
  while (end > from && isOws(text.charCodeAt(end - 1))) end--;
  return end;
}

const STOP = -1;
const INVALID = -2;

/**
 * One walk over a `baggage` list. The common member, `key=value` followed by `,` or the end, is
 * read by a small inlined loop; anything else (spaces, properties, empty members, errors) goes to
 * {@link BaggageScanner.slow}, so the hot loop stays small enough for the JIT to keep tight.
 */
class BaggageScanner {
  readonly text: string;
  readonly sink: BaggageSink;
  count = 0;
  bytes = 0;

  constructor(text: string, sink: BaggageSink) {
    this.text = text;
    this.sink = sink;
  }

  run(): boolean {
    const text = this.text;
    const length = text.length;
    let index = 0;
    while (index <= length) {
      let keyEnd = index;
      while (keyEnd < length) {
        const code = text.charCodeAt(keyEnd);
        if (code >= 128 || TCHARS[code] !== 1) break;
        keyEnd++;
      }
      let next: number = INVALID;
      if (keyEnd !== index && keyEnd < length && text.charCodeAt(keyEnd) === EQUALS) {
        let valueEnd = keyEnd + 1;
        let hasPercent = false;
        while (valueEnd < length) {
          const code = text.charCodeAt(valueEnd);
          if (code >= 128 || OCTETS[code] !== 1) break;
          if (code === PERCENT) hasPercent = true;
          valueEnd++;
        }
        if (valueEnd === length || text.charCodeAt(valueEnd) === COMMA) {
          next = this.emit(index, keyEnd, keyEnd + 1, valueEnd, hasPercent, valueEnd, undefined) ? valueEnd + 1 : STOP;
        }
      }
      if (next === INVALID) next = this.slow(index);
      if (next === STOP) return true;
      if (next === INVALID) return false;
      index = next;
    }
    return true;
  }

  /** Hands a member to the sink unless the limits are reached; false when the list ends here. */
  emit(from: number, keyEnd: number, valueStart: number, valueEnd: number, hasPercent: boolean, to: number, properties: string | undefined): boolean {
    // Every accepted character is ASCII, so characters are bytes.
    const size = (this.count === 0 ? 0 : this.bytes + 1) + to - from;
    if (this.count === BAGGAGE_MAX_MEMBERS || size > BAGGAGE_MAX_BYTES) return false;
    const text = this.text;
    const value = hasPercent ? percentDecode(text, valueStart, valueEnd) : text.slice(valueStart, valueEnd);
    this.sink.member(text, from, keyEnd, value, properties);
    this.count++;
    this.bytes = size;
    return true;
  }

  /** The general grammar for the member at `index`: the next index, STOP or INVALID. */
  slow(index: number): number {
    const text = this.text;
    const length = text.length;
    const from = skipOws(text, index, length);
    // Empty members are tolerated: joining several headers can produce them.
    if (from === length) return STOP;
    if (text.charCodeAt(from) === COMMA) return from + 1;
    const keyEnd = skipTchars(text, from, length);
    let cursor = skipOws(text, keyEnd, length);
    if (keyEnd === from || cursor === length || text.charCodeAt(cursor) !== EQUALS) return this.malformed(from);
    const valueStart = skipOws(text, cursor + 1, length);
    let valueEnd = valueStart;
    let hasPercent = false;
    while (valueEnd < length && isBaggageOctet(text.charCodeAt(valueEnd))) {
      if (text.charCodeAt(valueEnd) === PERCENT) hasPercent = true;
      valueEnd++;
    }
    cursor = skipOws(text, valueEnd, length);
    let to = valueEnd;
    let properties: string | undefined;
    if (cursor < length && text.charCodeAt(cursor) === SEMICOLON) {
      const propertiesStart = skipOws(text, cursor + 1, length);
      to = memberEnd(text, propertiesStart);
      if (!isProperties(text, propertiesStart, to)) return this.malformed(from);
      properties = text.slice(propertiesStart, to);
      cursor = skipOws(text, to, length);
    }
    if (cursor !== length && text.charCodeAt(cursor) !== COMMA) return this.malformed(from);
    return this.emit(from, keyEnd, valueStart, valueEnd, hasPercent, to, properties) ? cursor + 1 : STOP;
  }

  /**
   * A malformed member past the limits would have been dropped whole anyway, so the list ends
   * there (STOP); otherwise the header is invalid.
   */
  malformed(from: number): number {
    if (this.count === BAGGAGE_MAX_MEMBERS) return STOP;
    const size = (this.count === 0 ? 0 : this.bytes + 1) + memberEnd(this.text, from) - from;
    return size > BAGGAGE_MAX_BYTES ? STOP : INVALID;
  }
}

/**
 * Walks a `baggage` list, handing members to `sink` in order, within the W3C limits; false on
 * the first malformed member (the sink may have seen earlier ones). A sink instead of an array
 * lets `extract` read lineage without allocating an entry per member.
 * @internal
 */
export function scanBaggage(text: string, sink: BaggageSink): boolean {
  return new BaggageScanner(text, sink).run();
}

class EntryCollector implements BaggageSink {
  readonly entries: BaggageEntry[] = [];

  member(text: string, keyStart: number, keyEnd: number, value: string, properties: string | undefined): void {
    const key = text.slice(keyStart, keyEnd);
    this.entries.push(properties === undefined ? { key, value } : { key, value, properties });
  }
}

/**
 * Parses a W3C `baggage` value, or several header values (one list); `null` when a list-member
 * breaks the grammar.
 *
 * Values are percent-decoded (octets that are not UTF-8 become U+FFFD; a stray `%` stays
 * literal), properties after `;` are kept raw, spaces and tabs around members, `=` and `;` are
 * ignored, and empty list-members are tolerated. Past 64 members or 8192 bytes the remaining
 * members are dropped whole, in order, as the spec lets a platform do; a partial member is never
 * returned. Duplicate keys are kept in order (readers usually let the last one win).
 * Never throws.
 * @example
 * parseBaggage('userId=alice,serverNode=DF%2028;ttl=30');
 * // [{ key: 'userId', value: 'alice' }, { key: 'serverNode', value: 'DF 28', properties: 'ttl=30' }]
 * @since 0.1.0
 */
export function parseBaggage(value: string | readonly string[]): BaggageEntry[] | null {
  const text = joinBaggage(value);
  if (text === null) return null;
  const collector = new EntryCollector();
  return scanBaggage(text, collector) ? collector.entries : null;
}

/**
 * Formats W3C `baggage` list-members, percent-encoding values; `null` when a key is not a token
 * or properties break the grammar, so an invalid header is never produced.
 *
 * Members that would take the list past 64 members or 8192 bytes are dropped whole, with every
 * member after them, so the header always fits what receivers must accept.
 * @example
 * formatBaggage([{ key: 'userId', value: 'alice' }, { key: 'note', value: 'a b', properties: 'ttl=30' }]);
 * // 'userId=alice,note=a%20b;ttl=30'
 * @since 0.1.0
 */
export function formatBaggage(entries: readonly BaggageEntry[]): string | null {
  if (!Array.isArray(entries)) return null;
  let text = '';
  let count = 0;
  let full = false;
  for (const entry of entries) {
    const { key, value, properties } = entry;
    if (typeof key !== 'string' || typeof value !== 'string' || !isToken(key)) return null;
    const hasProperties = properties !== undefined && properties !== '';
    if (hasProperties && (typeof properties !== 'string' || !isProperties(properties, 0, properties.length))) return null;
    if (full) continue;
    const member = hasProperties ? `${key}=${percentEncode(value)};${properties}` : `${key}=${percentEncode(value)}`;
    const size = count === 0 ? member.length : text.length + 1 + member.length;
    if (count === BAGGAGE_MAX_MEMBERS || size > BAGGAGE_MAX_BYTES) {
      full = true;
      continue;
    }
    text = count === 0 ? member : `${text},${member}`;
    count++;
  }
  return text;
}
