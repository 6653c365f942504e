import { BAGGAGE_OCTET_TABLE, characterClass, TCHAR_TABLE } from './chars.ts';
import { MAX_HOP } from '../model/caracal-context.ts';
import { BAGGAGE_AGENT_SESSION, BAGGAGE_DELEGATION_EDGE, BAGGAGE_HOP, BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS, BAGGAGE_PARENT_EDGE } from './constants.ts';
import { joinBaggage, scanBaggage } from './baggage-scanner.ts';
import type { BaggageSink } from './baggage-scanner.ts';
import { percentDecode } from './percent-encoding.ts';

/**
 * Reads Caracal's lineage fields and the foreign members back out of a `baggage` header: the
 * receiving half of `caracal-baggage.ts`, on the path of every incoming request.
 * @internal
 */

/** Parses `caracal.hop`: one or two decimal digits, at most 32; anything else is ignored. */
function parseHop(value: string): number | undefined {
  if (value.length === 0 || value.length > 2) return undefined;
  let hop = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return undefined;
    hop = hop * 10 + (code - 0x30);
  }
  return hop <= MAX_HOP ? hop : undefined;
}

/** True when `word` occurs in `text` at `start`; a loop, cheaper here than a `startsWith` call. */
function isAt(text: string, start: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    if (text.charCodeAt(start + index) !== word.charCodeAt(index)) return false;
  }
  return true;
}

const NO_MEMBERS: Readonly<Record<string, string>> = Object.freeze({});

// Foreign keys repeat from call to call (a sender writes the same few), and a fresh key string
// costs a slice plus a string-table lookup when it becomes a property name. A small cache keyed
// by length, first and last character hands back the previous, already internalised string.
const KEY_SLOTS = 128;
const keySlots: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined);

function foreignKey(text: string, keyStart: number, keyEnd: number): string {
  const length = keyEnd - keyStart;
  const slot = (length * 31 + text.charCodeAt(keyStart) * 7 + text.charCodeAt(keyEnd - 1)) & (KEY_SLOTS - 1);
  const cached = keySlots[slot];
  if (cached !== undefined && cached.length === length && isAt(text, keyStart, cached)) return cached;
  const key = text.slice(keyStart, keyEnd);
  keySlots[slot] = key;
  return key;
}

/** Lineage fields read from baggage as it is scanned; the last member wins when a key repeats. */
export class BaggageLineageReader implements BaggageSink {
  agentSessionId: string | undefined = undefined;
  delegationEdgeId: string | undefined = undefined;
  parentEdgeId: string | undefined = undefined;
  hop: number | undefined = undefined;
  /** Foreign members; one shared frozen empty record until the first one arrives. */
  baggage: Record<string, string> = NO_MEMBERS as Record<string, string>;

  member(text: string, keyStart: number, keyEnd: number, value: string): void {
    // Our keys are recognised in place by length and prefix: no key string is allocated for them.
    switch (keyEnd - keyStart) {
      case BAGGAGE_AGENT_SESSION.length:
        if (isAt(text, keyStart, BAGGAGE_AGENT_SESSION)) {
          this.agentSessionId = value === '' ? undefined : value;
          return;
        }
        break;
      case BAGGAGE_DELEGATION_EDGE.length:
        if (isAt(text, keyStart, BAGGAGE_DELEGATION_EDGE)) {
          this.delegationEdgeId = value === '' ? undefined : value;
          return;
        }
        break;
      case BAGGAGE_PARENT_EDGE.length:
        if (isAt(text, keyStart, BAGGAGE_PARENT_EDGE)) {
          this.parentEdgeId = value === '' ? undefined : value;
          return;
        }
        break;
      case BAGGAGE_HOP.length:
        if (isAt(text, keyStart, BAGGAGE_HOP)) {
          this.hop = parseHop(value);
          return;
        }
        break;
    }
    const key = foreignKey(text, keyStart, keyEnd);
    if (this.baggage === NO_MEMBERS) this.baggage = {};
    // defineProperty, not assignment: a "__proto__" key from the wire must stay a plain member.
    if (key === '__proto__') Object.defineProperty(this.baggage, key, { value, enumerable: true, writable: true, configurable: true });
    else this.baggage[key] = value;
  }
}

const OCTETS = `${characterClass(BAGGAGE_OCTET_TABLE)}*`;
const PLAIN_MEMBER = `${characterClass(TCHAR_TABLE)}+=${OCTETS}`;

/** An optional leading `key=value` member with the value captured. */
function leadingMember(key: string): string {
  return `(?:${key.replaceAll('.', '\\.')}=(${OCTETS})(?:,|$))?`;
}

/**
 * The header as `inject` writes it: Caracal's members first, in this order, each optional, then
 * plain `key=value` members (no spaces, properties or empty members). One native match captures
 * our four values, so the common header is read without a character loop in JavaScript; any other
 * shape goes through the general scanner. Separators are unambiguous (no octet is a comma), so
 * the match stays linear.
 */
const CANONICAL_HEADER = new RegExp(
  `^${leadingMember(BAGGAGE_AGENT_SESSION)}${leadingMember(BAGGAGE_DELEGATION_EDGE)}${leadingMember(BAGGAGE_PARENT_EDGE)}${leadingMember(BAGGAGE_HOP)}` +
    `((?:${PLAIN_MEMBER}(?:,${PLAIN_MEMBER})*)?)$`,
);

/** A captured value, percent-decoded when the header holds a `%` at all. */
function capturedValue(value: string, mayHavePercent: boolean): string {
  return mayHavePercent ? percentDecode(value, 0, value.length) : value;
}

/** Reads a header of the {@link CANONICAL_HEADER} shape; null when it has another shape. */
function readCanonical(text: string): BaggageLineageReader | null {
  if (text.length > BAGGAGE_MAX_BYTES) return null;
  const match = CANONICAL_HEADER.exec(text);
  if (match === null) return null;
  const mayHavePercent = text.includes('%');
  const reader = new BaggageLineageReader();
  let count = 0;
  const [, agentSessionId, delegationEdgeId, parentEdgeId, hop, rest] = match;
  if (agentSessionId !== undefined) {
    count++;
    if (agentSessionId !== '') reader.agentSessionId = capturedValue(agentSessionId, mayHavePercent);
  }
  if (delegationEdgeId !== undefined) {
    count++;
    if (delegationEdgeId !== '') reader.delegationEdgeId = capturedValue(delegationEdgeId, mayHavePercent);
  }
  if (parentEdgeId !== undefined) {
    count++;
    if (parentEdgeId !== '') reader.parentEdgeId = capturedValue(parentEdgeId, mayHavePercent);
  }
  if (hop !== undefined) {
    count++;
    reader.hop = parseHop(capturedValue(hop, mayHavePercent));
  }
  // The rest through the reader's own member(), so a repeated Caracal key still wins last.
  const length = rest!.length;
  let from = 0;
  while (from < length && count < BAGGAGE_MAX_MEMBERS) {
    let end = rest!.indexOf(',', from);
    if (end === -1) end = length;
    const keyEnd = rest!.indexOf('=', from);
    reader.member(rest!, from, keyEnd, mayHavePercent ? percentDecode(rest!, keyEnd + 1, end) : rest!.slice(keyEnd + 1, end));
    count++;
    from = end + 1;
  }
  return reader;
}

// One-entry memo. Baggage carries no per-call data, so a server answering one agent session sees
// the same header on every call; the last result is reused when the text is identical. Results
// are immutable (the foreign record is frozen), so sharing one between calls is safe.
let lastText: string | undefined;
let lastReader: BaggageLineageReader | null = null;

/**
 * Reads Caracal's lineage fields and the foreign members (a frozen record) from a `baggage`
 * header; null when invalid.
 */
export function readCaracalBaggage(value: string | readonly string[]): BaggageLineageReader | null {
  const text = joinBaggage(value);
  if (text === null) return null;
  if (text === lastText) return lastReader;
  let reader = readCanonical(text);
  if (reader === null) {
    reader = new BaggageLineageReader();
    if (!scanBaggage(text, reader)) reader = null;
  }
  if (reader !== null) Object.freeze(reader.baggage);
  lastText = text;
  lastReader = reader;
  return reader;
}
