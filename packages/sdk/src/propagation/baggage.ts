import { isProperties, joinBaggage, scanBaggage } from './baggage-scanner.ts';
import type { BaggageSink } from './baggage-scanner.ts';
import { isToken } from './chars.ts';
import { BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS } from './constants.ts';
import { percentEncode } from './percent-encoding.ts';

/**
 * One W3C Baggage list-member.
 * @example
 * const entry: BaggageEntry = { key: 'userId', value: 'alice', properties: 'ttl=30' };
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
 * @param value - one header value, or several in the order received.
 * @returns the list-members in order, or `null` when one breaks the grammar.
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
 * @param entries - list-members in order; values are percent-encoded here.
 * @returns the header value, or `null` when a key or properties are invalid.
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
