import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_HOP } from '../../src/model/caracal-context.ts';
import {
  BAGGAGE_AGENT_SESSION,
  BAGGAGE_DELEGATION_EDGE,
  BAGGAGE_HOP,
  BAGGAGE_PARENT_EDGE,
  extract,
  parseBaggage,
} from '../../src/propagation/index.ts';
import { PROPERTY_TIMEOUT_MS } from './arbitraries.ts';

/**
 * `extract` reads the header shape `inject` writes through one regular expression and any other
 * shape through the general scanner. Both must give what the public `parseBaggage` gives, member
 * by member: this compares them over headers built to land on either path.
 */

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const CARACAL_KEYS = [BAGGAGE_AGENT_SESSION, BAGGAGE_DELEGATION_EDGE, BAGGAGE_PARENT_EDGE, BAGGAGE_HOP];

/** What extract must report, computed from parseBaggage's entries: the last member wins. */
function expectedLineage(header: string): Record<string, unknown> | null {
  const entries = parseBaggage(header);
  if (entries === null) return null;
  const lineage: Record<string, unknown> = { baggage: {} };
  const foreign: Record<string, string> = {};
  for (const { key, value } of entries) {
    if (key === BAGGAGE_AGENT_SESSION) lineage['agentSessionId'] = value === '' ? undefined : value;
    else if (key === BAGGAGE_DELEGATION_EDGE) lineage['delegationEdgeId'] = value === '' ? undefined : value;
    else if (key === BAGGAGE_PARENT_EDGE) lineage['parentEdgeId'] = value === '' ? undefined : value;
    else if (key === BAGGAGE_HOP) lineage['hop'] = /^\d{1,2}$/.test(value) && Number(value) <= MAX_HOP ? Number(value) : undefined;
    else Object.defineProperty(foreign, key, { value, enumerable: true, writable: true, configurable: true });
  }
  lineage['baggage'] = foreign;
  return lineage;
}

const valueArb = fc.oneof(
  fc.constantFrom('', '0', '7', '32', '33', '007', 'agentsess_01JD8X4Y2Z3K5M6N7P8Q9R0S1T', 'a%2Cb', '%41%42', '%zz', '100%', '='),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_-.%=+/'.split('')), maxLength: 12 }),
);
const keyArb = fc.oneof(fc.constantFrom(...CARACAL_KEYS), fc.constantFrom('tenant', 'region', '__proto__', 'caracal.hopx', 'caracal.ho', 'k%41'));
const memberArb = fc.tuple(keyArb, valueArb).map(([key, value]) => `${key}=${value}`);
/** Occasionally something only the general scanner accepts: spaces, properties, empty members. */
const decoratedMemberArb = fc.oneof(
  { weight: 8, arbitrary: memberArb },
  { weight: 1, arbitrary: memberArb.map((member) => ` ${member} `) },
  { weight: 1, arbitrary: memberArb.map((member) => `${member};prop=1`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'bad member', 'k="q"') },
);
const headerArb = fc.oneof(
  // Caracal's members first, in inject's order, then foreign ones: the regular-expression path.
  fc
    .tuple(fc.subarray(CARACAL_KEYS), fc.array(valueArb, { minLength: 4, maxLength: 4 }), fc.array(memberArb, { maxLength: 5 }))
    .map(([keys, values, rest]) => [...keys.map((key, index) => `${key}=${values[index]}`), ...rest].join(',')),
  fc.array(decoratedMemberArb, { maxLength: 8 }).map((members) => members.join(',')),
  // Past the 64-member limit: the members after it are dropped on both paths.
  fc.tuple(fc.array(memberArb, { minLength: 60, maxLength: 70 }), fc.boolean()).map(([members, trailingComma]) => members.join(',') + (trailingComma ? ',' : '')),
);

describe('baggage read by extract', () => {
  it('agrees with parseBaggage member by member, on both reading paths', { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(headerArb, (header) => {
        const lineage = extract({ traceparent: TRACEPARENT, baggage: header });
        const expected = expectedLineage(header);
        if (expected === null) {
          expect(lineage?.agentSessionId).toBeUndefined();
          expect(lineage?.baggage).toEqual({});
          return;
        }
        expect(lineage?.agentSessionId).toBe(expected['agentSessionId']);
        expect(lineage?.delegationEdgeId).toBe(expected['delegationEdgeId']);
        expect(lineage?.parentEdgeId).toBe(expected['parentEdgeId']);
        expect(lineage?.hop).toBe(expected['hop']);
        expect(lineage?.baggage).toStrictEqual(expected['baggage']);
        expect(Object.isFrozen(lineage?.baggage)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the header inject writes, percent-encoded values decoded', () => {
    const header = `${BAGGAGE_AGENT_SESSION}=s%2C1,${BAGGAGE_DELEGATION_EDGE}=e1,${BAGGAGE_PARENT_EDGE}=e0,${BAGGAGE_HOP}=2,tenant=a%3Db`;
    expect(extract({ traceparent: TRACEPARENT, baggage: header })).toStrictEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: '01',
      agentSessionId: 's,1',
      delegationEdgeId: 'e1',
      parentEdgeId: 'e0',
      hop: 2,
      baggage: { tenant: 'a=b' },
    });
  });
});
