import { isToken } from './chars.ts';
import { MAX_HOP } from '../model/caracal-context.ts';
import { BAGGAGE_AGENT_SESSION, BAGGAGE_DELEGATION_EDGE, BAGGAGE_HOP, BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS, BAGGAGE_PARENT_EDGE } from './constants.ts';
import { parseBaggage } from './baggage.ts';
import type { CaracalBaggageFields } from './lineage.ts';
import { percentEncode } from './percent-encoding.ts';

/**
 * Caracal's four baggage members, written next to foreign members (read back by
 * `baggage-lineage-reader.ts`). Written by hand
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
