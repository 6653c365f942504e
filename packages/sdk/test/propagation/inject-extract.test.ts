import { describe, expect, it } from 'vitest';
import { extract, inject, parseBaggage, parseTraceparent } from '../../src/propagation/index.ts';
import { TEST_TRACE_ID, testContext } from '../support/test-context.ts';

const TRACE_ID = TEST_TRACE_ID;
const base = testContext({
  zoneId: 'zone_dev',
  clientId: 'app_orchestrator',
  agentSessionId: 'agentsess_01J0',
  delegationEdgeId: 'deledge_02',
  parentEdgeId: 'deledge_01',
  traceId: TRACE_ID,
  hop: 2,
  baggage: { userId: 'alice', note: 'a b,c;é' },
});

describe('inject', () => {
  it('writes traceparent with the context trace id, a fresh span id per call and flags 01', () => {
    const first = inject(base, {});
    const second = inject(base, {});
    const one = parseTraceparent(first.traceparent!);
    const two = parseTraceparent(second.traceparent!);
    expect(one).toMatchObject({ version: '00', traceId: TRACE_ID, traceFlags: '01' });
    expect(two?.traceId).toBe(TRACE_ID);
    expect(one?.spanId).not.toBe(two?.spanId);
  });

  it('writes the caracal members first, then foreign members, percent-encoded', () => {
    expect(inject(base, {}).baggage).toBe(
      'caracal.agent_session=agentsess_01J0,caracal.delegation_edge=deledge_02,caracal.parent_edge=deledge_01,caracal.hop=2,' +
        'userId=alice,note=a%20b%2Cc%3B%C3%A9',
    );
  });

  it('returns the headers object it was given, keeping its other headers', () => {
    const headers = { authorization: 'Bearer x' };
    expect(inject(base, headers)).toBe(headers);
    expect(headers.authorization).toBe('Bearer x');
  });

  it('mints a trace id when the context has none or an invalid one', () => {
    const { traceId: _omit, ...withoutTraceId } = base;
    for (const ctx of [withoutTraceId, { ...base, traceId: '' }, { ...base, traceId: TRACE_ID.toUpperCase() }, { ...base, traceId: '0'.repeat(32) }]) {
      const parsed = parseTraceparent(inject(ctx, {}).traceparent!);
      expect(parsed).not.toBeNull();
      expect(parsed?.traceId).not.toBe(TRACE_ID);
    }
  });

  it('uses the context flags, and 01 when they are invalid', () => {
    expect(inject({ ...base, traceFlags: '00' }, {}).traceparent?.endsWith('-00')).toBe(true);
    expect(inject({ ...base, traceFlags: 'XY' }, {}).traceparent?.endsWith('-01')).toBe(true);
  });

  it('writes tracestate only when the context carries a valid one', () => {
    expect(inject({ ...base, traceState: 'rojo=1,congo=2' }, {}).tracestate).toBe('rojo=1,congo=2');
    expect(inject({ ...base, traceState: 'Rojo=1' }, {})).not.toHaveProperty('tracestate');
    expect(inject({ ...base, traceState: '' }, {})).not.toHaveProperty('tracestate');
    expect(inject({ ...base, traceState: 'rojo=1,congo=2,rojo=3' }, {}).tracestate).toBe('rojo=1,congo=2');
    expect(inject(base, {})).not.toHaveProperty('tracestate');
  });

  it('never adds a second traceparent, in any letter case, but still writes baggage', () => {
    const existing = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    const lower = inject({ ...base, traceState: 'rojo=1' }, { traceparent: existing });
    expect(lower.traceparent).toBe(existing);
    expect(lower).not.toHaveProperty('tracestate');
    expect(lower.baggage).toContain('caracal.agent_session=agentsess_01J0');
    const mixed = inject(base, { TraceParent: existing }) as Record<string, string>;
    expect(Object.keys(mixed).filter((key) => key.toLowerCase() === 'traceparent')).toEqual(['TraceParent']);
  });

  it('merges an existing baggage header: ours replace our keys, its members win over ctx.baggage', () => {
    const headers = inject(base, { Baggage: 'userId=bob,caracal.hop=9,extra=1;p' }) as Record<string, string>;
    expect(headers).not.toHaveProperty('baggage');
    expect(parseBaggage(headers.Baggage!)).toEqual([
      { key: 'caracal.agent_session', value: 'agentsess_01J0' },
      { key: 'caracal.delegation_edge', value: 'deledge_02' },
      { key: 'caracal.parent_edge', value: 'deledge_01' },
      { key: 'caracal.hop', value: '2' },
      { key: 'userId', value: 'bob' },
      { key: 'extra', value: '1', properties: 'p' },
      { key: 'note', value: 'a b,c;é' },
    ]);
  });

  it('replaces an existing baggage header that does not parse', () => {
    expect(inject(base, { baggage: 'not baggage' }).baggage).toBe(inject(base, {}).baggage);
  });

  it('skips foreign members it cannot write and our own keys in ctx.baggage', () => {
    const headers = inject({ ...base, baggage: { 'bad key': 'x', 'caracal.hop': '30', ok: 'y' } }, {});
    expect(headers.baggage).toBe(
      'caracal.agent_session=agentsess_01J0,caracal.delegation_edge=deledge_02,caracal.parent_edge=deledge_01,caracal.hop=2,ok=y',
    );
  });

  it('omits absent ids and an out-of-range hop', () => {
    expect(inject({ subjectToken: 't', zoneId: 'z', clientId: 'c', hop: 0 }, {}).baggage).toBe('caracal.hop=0');
    expect(inject({ subjectToken: 't', zoneId: 'z', clientId: 'c', hop: 33 }, {})).not.toHaveProperty('baggage');
  });

  it('keeps baggage within 64 members, ours first', () => {
    const baggage = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`k${index}`, 'v']));
    const entries = parseBaggage(inject({ ...base, baggage }, {}).baggage!);
    expect(entries).toHaveLength(64);
    expect(entries?.slice(0, 4).map((entry) => entry.key)).toEqual(['caracal.agent_session', 'caracal.delegation_edge', 'caracal.parent_edge', 'caracal.hop']);
  });
});

describe('extract', () => {
  it('rebuilds what inject wrote', () => {
    const headers = inject({ ...base, traceState: 'rojo=1', traceFlags: '00' }, {});
    expect(extract(headers)).toEqual({
      traceId: TRACE_ID,
      spanId: parseTraceparent(headers.traceparent!)?.spanId,
      traceFlags: '00',
      traceState: 'rojo=1',
      agentSessionId: 'agentsess_01J0',
      delegationEdgeId: 'deledge_02',
      parentEdgeId: 'deledge_01',
      hop: 2,
      baggage: { userId: 'alice', note: 'a b,c;é' },
    });
  });

  it('returns null without a valid traceparent', () => {
    expect(extract({})).toBeNull();
    expect(extract({ baggage: 'caracal.hop=1' })).toBeNull();
    expect(extract({ traceparent: 'garbage' })).toBeNull();
    expect(extract(undefined as unknown as Record<string, string>)).toBeNull();
  });

  it('matches header names in any letter case and accepts arrays', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    expect(extract({ TraceParent: traceparent, Baggage: ['caracal.hop=3', 'a=1'] })).toMatchObject({ traceId: TRACE_ID, hop: 3, baggage: { a: '1' } });
    expect(extract({ traceparent: [traceparent] })?.traceId).toBe(TRACE_ID);
    expect(extract({ tracestate: ['a=1', 'b=2'], traceparent })?.traceState).toBe('a=1,b=2');
  });

  it('reads a fetch Headers object, repeated values joined as fetch joins them', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    const headers = new Headers({ TraceParent: traceparent, tracestate: 'rojo=1' });
    headers.append('baggage', 'caracal.hop=3,a=1');
    headers.append('baggage', 'b=2');
    expect(extract(headers)).toStrictEqual({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: '01', traceState: 'rojo=1', hop: 3, baggage: { a: '1', b: '2' } });
    expect(extract(new Headers({ baggage: 'a=1' }))).toBeNull();
    headers.append('traceparent', traceparent);
    expect(extract(headers)).toBeNull();
  });

  it('treats several traceparent values as invalid', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    expect(extract({ traceparent: [traceparent, traceparent] })).toBeNull();
    // Node joins repeated headers with ", ", which is not a traceparent either.
    expect(extract({ traceparent: `${traceparent}, ${traceparent}` })).toBeNull();
  });

  it('passes a tracestate on without the later members of a repeated key', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    expect(extract({ traceparent, tracestate: 'a=1, b=2,a=3' })?.traceState).toBe('a=1,b=2');
    expect(extract({ traceparent, tracestate: ['foo@=1', 'foo@=2'] })?.traceState).toBe('foo@=1');
  });

  it('leaves out an invalid tracestate and an empty one', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    expect(extract({ traceparent, tracestate: 'A=1' })).not.toHaveProperty('traceState');
    expect(extract({ traceparent, tracestate: ' , ' })).not.toHaveProperty('traceState');
  });

  it('yields no lineage fields from an invalid baggage header, but keeps the trace', () => {
    const lineage = extract({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, baggage: 'caracal.hop=1,bad member' });
    expect(lineage).toEqual({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: '01', baggage: {} });
  });

  it('reads hop only as an integer 0-32 and ignores empty ids', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    const hopOf = (value: string): number | undefined => extract({ traceparent, baggage: `caracal.hop=${value}` })?.hop;
    expect(hopOf('0')).toBe(0);
    expect(hopOf('32')).toBe(32);
    expect(hopOf('33')).toBeUndefined();
    expect(hopOf('007')).toBeUndefined();
    expect(hopOf('-1')).toBeUndefined();
    expect(hopOf('1.5')).toBeUndefined();
    expect(extract({ traceparent, baggage: 'caracal.agent_session=' })).not.toHaveProperty('agentSessionId');
  });

  it('hands out a frozen foreign record, the same one for a repeated baggage header', () => {
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    const first = extract({ traceparent, baggage: 'caracal.hop=1,a=1' });
    const second = extract({ traceparent, baggage: ['caracal.hop=1', 'a=1'] });
    const other = extract({ traceparent, baggage: 'caracal.hop=2,a=1' });
    expect(Object.isFrozen(first?.baggage)).toBe(true);
    expect(second?.baggage).toBe(first?.baggage);
    expect(second).toEqual(first);
    expect(other).toMatchObject({ hop: 2, baggage: { a: '1' } });
    // A cached invalid header stays invalid.
    expect(extract({ traceparent, baggage: 'bad member' })?.baggage).toEqual({});
    expect(extract({ traceparent, baggage: 'bad member' })?.baggage).toEqual({});
  });

  it('lets the last duplicate win and keeps a __proto__ member as plain data', () => {
    const lineage = extract({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, baggage: 'a=1,a=2,__proto__=x,caracal.hop=1,caracal.hop=4' });
    expect(lineage?.hop).toBe(4);
    expect(lineage?.baggage.a).toBe('2');
    expect(Object.getPrototypeOf(lineage?.baggage)).toBe(Object.prototype);
    expect(Object.keys(lineage!.baggage)).toEqual(['a', '__proto__']);
  });
});
