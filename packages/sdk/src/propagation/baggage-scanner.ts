import { BAGGAGE_OCTET_TABLE, characterClass, isBaggageOctet, isOws, isTchar, TCHAR_TABLE } from './chars.ts';
import { BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS } from './constants.ts';
import { percentDecode } from './percent-encoding.ts';

/**
 * The W3C Baggage grammar, walked once over a header and handed to a sink member by member. Both
 * `parseBaggage` and `extract` read through it.
 * @internal
 */

const EQUALS = 0x3d;
const SEMICOLON = 0x3b;
const COMMA = 0x2c;
const PERCENT = 0x25;

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
export function isProperties(text: string, from: number, to: number): boolean {
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

/**
 * A list of plain `key=value` members, no spaces, properties or empty members: what `inject` and
 * OpenTelemetry write. Checked in one native regular-expression pass, far cheaper than a
 * character loop in JavaScript; the separators are unambiguous (no octet is a comma), so the
 * match is linear.
 */
const PLAIN_MEMBER = `${characterClass(TCHAR_TABLE)}+=${characterClass(BAGGAGE_OCTET_TABLE)}*`;
const PLAIN_LIST = new RegExp(`^${PLAIN_MEMBER}(?:,${PLAIN_MEMBER})*$`);

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
    if (length <= BAGGAGE_MAX_BYTES && PLAIN_LIST.test(text)) return this.runPlain();
    let index = 0;
    while (index <= length) {
      let keyEnd = index;
      while (keyEnd < length) {
        const code = text.charCodeAt(keyEnd);
        if (code >= 128 || TCHAR_TABLE[code] !== 1) break;
        keyEnd++;
      }
      let next: number = INVALID;
      if (keyEnd !== index && keyEnd < length && text.charCodeAt(keyEnd) === EQUALS) {
        let valueEnd = keyEnd + 1;
        let hasPercent = false;
        while (valueEnd < length) {
          const code = text.charCodeAt(valueEnd);
          if (code >= 128 || BAGGAGE_OCTET_TABLE[code] !== 1) break;
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

  /** A list {@link PLAIN_LIST} accepted: members are cut at `,` and `=` by native searches. */
  runPlain(): boolean {
    const text = this.text;
    const length = text.length;
    let percent = text.indexOf('%');
    let from = 0;
    for (;;) {
      let end = text.indexOf(',', from);
      if (end === -1) end = length;
      const keyEnd = text.indexOf('=', from);
      if (percent !== -1 && percent < keyEnd) percent = text.indexOf('%', keyEnd);
      const hasPercent = percent !== -1 && percent < end;
      if (!this.emit(from, keyEnd, keyEnd + 1, end, hasPercent, end, undefined) || end === length) return true;
      from = end + 1;
    }
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

