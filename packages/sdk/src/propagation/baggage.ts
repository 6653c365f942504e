import { isBaggageOctet, isOws, isTchar, isToken } from './chars.ts';
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

function skipOws(text: string, index: number, to: number): number {
  while (index < to && isOws(text.charCodeAt(index))) index++;
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

/** Parses the trimmed member `text[from, to)`; undefined when it breaks the grammar. */
function parseMember(text: string, from: number, to: number): BaggageEntry | undefined {
  const keyEnd = skipTchars(text, from, to);
  if (keyEnd === from) return undefined;
  let index = skipOws(text, keyEnd, to);
  if (index === to || text.charCodeAt(index) !== EQUALS) return undefined;
  const valueStart = skipOws(text, index + 1, to);
  const valueEnd = skipOctets(text, valueStart, to);
  index = skipOws(text, valueEnd, to);
  const key = text.slice(from, keyEnd);
  const value = percentDecode(text, valueStart, valueEnd);
  if (index === to) return { key, value };
  if (text.charCodeAt(index) !== SEMICOLON) return undefined;
  const propertiesStart = skipOws(text, index + 1, to);
  if (!isProperties(text, propertiesStart, to)) return undefined;
  return { key, value, properties: text.slice(propertiesStart, to) };
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
  let text: string;
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value) && value.every((part) => typeof part === 'string')) text = value.join(',');
  else return null;

  const entries: BaggageEntry[] = [];
  let bytes = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end === -1) end = text.length;
    const from = skipOws(text, start, end);
    let to = end;
    start = end + 1;
    while (to > from && isOws(text.charCodeAt(to - 1))) to--;
    if (from === to) continue;
    // Every accepted character is ASCII, so characters are bytes.
    const size = entries.length === 0 ? to - from : bytes + 1 + to - from;
    if (entries.length === BAGGAGE_MAX_MEMBERS || size > BAGGAGE_MAX_BYTES) break;
    const entry = parseMember(text, from, to);
    if (entry === undefined) return null;
    entries.push(entry);
    bytes = size;
  }
  return entries;
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
