import { readCaracalBaggage } from './baggage-lineage-reader.ts';
import { BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER } from './constants.ts';
import { headersFromGetter, isHeaderGetter, readHeader } from './headers.ts';
import type { HeaderGetter, IncomingHeaders } from './headers.ts';
import type { CaracalLineage } from './lineage.ts';
import { traceparentStart } from './traceparent.ts';
import { receivedTracestate } from './tracestate.ts';

/** Lineage fields as they are built, before being handed out read-only. */
type MutableLineage = { -readonly [Field in keyof CaracalLineage]: CaracalLineage[Field] };

const LINEAGE_HEADERS = [TRACEPARENT_HEADER, TRACESTATE_HEADER, BAGGAGE_HEADER] as const;

const EMPTY_BAGGAGE: Readonly<Record<string, string>> = Object.freeze({});

function isEmptyList(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x2c) return false;
  }
  return true;
}

/** The valid, non-empty `tracestate`, trimmed and without repeated keys; undefined otherwise. */
function readTraceState(headers: IncomingHeaders): string | undefined {
  const value = readHeader(headers, TRACESTATE_HEADER);
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : '';
  if (typeof text !== 'string' || isEmptyList(text)) return undefined;
  return receivedTracestate(text) ?? undefined;
}

/**
 * Reads the lineage a receiver can rebuild from `traceparent`, `tracestate` and `baggage` alone;
 * `null` without a valid `traceparent`. Header names are matched in any letter case (Node
 * delivers them lowercase).
 *
 * UNTRUSTED: anyone can send these headers. Grant nothing from the result; the verified mandate
 * is the only source of authority. An invalid `tracestate` is left out, an invalid `baggage`
 * yields no lineage fields, and several `traceparent` values are invalid (which one would win?).
 * Never throws.
 * @param carrier - incoming headers: a plain record as Node and Fastify give them (names in any
 *   letter case; values may be arrays), or a fetch `Headers` (anything with `get(name)`).
 * @returns the untrusted lineage, or `null` without a valid `traceparent`.
 * @example
 * const lineage = extract(request.headers); // node:http, Fastify, or a fetch Request
 * if (lineage) logger.info({ traceId: lineage.traceId, edge: lineage.delegationEdgeId });
 * @since 0.1.0
 */
export function extract(carrier: IncomingHeaders | HeaderGetter): CaracalLineage | null {
  if (typeof carrier !== 'object' || carrier === null) return null;
  const headers = isHeaderGetter(carrier) ? headersFromGetter(carrier, LINEAGE_HEADERS) : (carrier as IncomingHeaders);
  let traceparentValue = readHeader(headers, TRACEPARENT_HEADER);
  if (traceparentValue === undefined) return null;
  if (typeof traceparentValue !== 'string') {
    if (!Array.isArray(traceparentValue) || traceparentValue.length !== 1) return null;
    traceparentValue = traceparentValue[0] as string;
  }
  const traceparent = traceparentValue as string;
  const start = traceparentStart(traceparent);
  if (start === -1) return null;

  const traceId = traceparent.slice(start + 3, start + 35);
  const spanId = traceparent.slice(start + 36, start + 52);
  const traceFlags = traceparent.slice(start + 53, start + 55);
  const traceState = readTraceState(headers);
  const baggageValue = readHeader(headers, BAGGAGE_HEADER);
  const fromBaggage = baggageValue === undefined ? null : readCaracalBaggage(baggageValue);
  if (fromBaggage === null) {
    return traceState === undefined ? { traceId, spanId, traceFlags, baggage: EMPTY_BAGGAGE } : { traceId, spanId, traceFlags, traceState, baggage: EMPTY_BAGGAGE };
  }
  const { agentSessionId, delegationEdgeId, parentEdgeId, hop, baggage } = fromBaggage;
  // The common case, every lineage field present, is built as one literal: one allocation and
  // one object shape, instead of a field added (and a shape change) at a time.
  if (traceState === undefined && agentSessionId !== undefined && delegationEdgeId !== undefined && parentEdgeId !== undefined && hop !== undefined) {
    return { traceId, spanId, traceFlags, agentSessionId, delegationEdgeId, parentEdgeId, hop, baggage };
  }
  const lineage: MutableLineage = { traceId, spanId, traceFlags, baggage };
  if (traceState !== undefined) lineage.traceState = traceState;
  if (agentSessionId !== undefined) lineage.agentSessionId = agentSessionId;
  if (delegationEdgeId !== undefined) lineage.delegationEdgeId = delegationEdgeId;
  if (parentEdgeId !== undefined) lineage.parentEdgeId = parentEdgeId;
  if (hop !== undefined) lineage.hop = hop;
  return lineage;
}
