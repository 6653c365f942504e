import { isToken } from './chars.ts';
import { MAX_HOP } from '../context/caracal-context.ts';
import { BAGGAGE_AGENT_SESSION, BAGGAGE_DELEGATION_EDGE, BAGGAGE_HOP, BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS, BAGGAGE_PARENT_EDGE } from './constants.ts';
import { parseBaggage } from './baggage.ts';
import { joinBaggage, scanBaggage } from './baggage-scanner.ts';
import type { BaggageSink } from './baggage-scanner.ts';
import type { CaracalBaggageFields } from './lineage.ts';
import { percentEncode } from './percent-encoding.ts';

/**
 * Caracal's four baggage members, written next to foreign members and read back. Written by hand
 * rather than through `formatBaggage` because it runs on every outbound call: ids are plain
 * tokens, so the common case is a handful of string concatenations.
 * @internal
 */

/** True for the keys Caracal owns in baggage. */
export function isCaracalKey(key: string): boolean {
  return key === BAGGAGE_AGENT_SESSION || key === BAGGAGE_DELEGATION_EDGE || key === BAGGAGE_PARENT_EDGE || key === BAGGAGE_HOP;
}

/** True for an integer hop count the SDK accepts (0–32). */
function isHop(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_HOP;
}

/** Accumulates members while they fit the W3C limits; a member that does not fit is dropped whole. */
class BaggageWriter {
  text = '';
  count = 0;

  add(member: string): void {
    if (this.count === BAGGAGE_MAX_MEMBERS) return;
    const size = this.count === 0 ? member.length : this.text.length + 1 + member.length;
    if (size > BAGGAGE_MAX_BYTES) return;
    this.text = this.count === 0 ? member : `${this.text},${member}`;
    this.count++;
  }
}

/**
 * The `baggage` value for `fields`: Caracal's members first (so limits never drop them), then the
 * members of `existing` (a header already on the request, which wins over `fields.baggage` for
 * the same key), then `fields.baggage`. Caracal's own keys from either source are replaced.
 * Foreign members with a key that is not a token cannot be written and are skipped.
 */
export function caracalBaggage(fields: CaracalBaggageFields, existing?: string | readonly string[]): string {
  const writer = new BaggageWriter();
  const { agentSessionId, delegationEdgeId, parentEdgeId, hop, baggage } = fields;
  if (typeof agentSessionId === 'string' && agentSessionId !== '') writer.add(`${BAGGAGE_AGENT_SESSION}=${percentEncode(agentSessionId)}`);
  if (typeof delegationEdgeId === 'string' && delegationEdgeId !== '') writer.add(`${BAGGAGE_DELEGATION_EDGE}=${percentEncode(delegationEdgeId)}`);
  if (typeof parentEdgeId === 'string' && parentEdgeId !== '') writer.add(`${BAGGAGE_PARENT_EDGE}=${percentEncode(parentEdgeId)}`);
  if (isHop(hop)) writer.add(`${BAGGAGE_HOP}=${hop}`);

  let written: Set<string> | undefined;
  if (existing !== undefined) {
    const entries = parseBaggage(existing);
    // An unparseable header cannot be merged member by member; ours replaces it.
    if (entries !== null && entries.length > 0) {
      written = new Set();
      for (const entry of entries) {
        if (isCaracalKey(entry.key)) continue;
        written.add(entry.key);
        const value = percentEncode(entry.value);
        writer.add(entry.properties === undefined ? `${entry.key}=${value}` : `${entry.key}=${value};${entry.properties}`);
      }
    }
  }

  if (baggage !== undefined && baggage !== null) {
    for (const key in baggage) {
      const value = baggage[key];
      if (typeof value !== 'string' || isCaracalKey(key) || written?.has(key) === true || !isToken(key)) continue;
      writer.add(`${key}=${percentEncode(value)}`);
    }
  }
  return writer.text;
}

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
    const key = text.slice(keyStart, keyEnd);
    if (this.baggage === NO_MEMBERS) this.baggage = {};
    // defineProperty, not assignment: a "__proto__" key from the wire must stay a plain member.
    if (key === '__proto__') Object.defineProperty(this.baggage, key, { value, enumerable: true, writable: true, configurable: true });
    else this.baggage[key] = value;
  }
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
  let reader: BaggageLineageReader | null = new BaggageLineageReader();
  if (scanBaggage(text, reader)) Object.freeze(reader.baggage);
  else reader = null;
  lastText = text;
  lastReader = reader;
  return reader;
}
