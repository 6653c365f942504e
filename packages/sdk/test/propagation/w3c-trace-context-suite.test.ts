/**
 * The W3C trace-context test suite (github.com/w3c/trace-context `test/test.py`) at STRICT_LEVEL 2
 * and SPEC_LEVEL 2: its 41 cases, each under the suite's own name, with the headers it sends and
 * what it asserts. Vendored because CI cannot install the Python harness's aiohttp from PyPI; the
 * exchange is the harness's own (harness → service → callbacks), over real HTTP on port 0, and the
 * service propagates with `extract`/`inject` only (test/support/w3c-harness.ts).
 *
 * The tracestate key cases follow the suite after w3c/trace-context#584 (Level 2 key grammar: `@`
 * is a plain key character, 256 characters the only limit), and the duplicated-keys case after
 * w3c/trace-context#477 (a receiver MAY drop repeats, but must not drop the list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessTracestate, readTraceparent } from '../support/w3c-harness-reading.ts';
import type { HarnessTraceparent } from '../support/w3c-harness-reading.ts';
import { W3cHarness } from '../support/w3c-harness.ts';
import type { HeaderPair } from '../support/w3c-harness.ts';

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
const SAMPLED = `00-${TRACE_ID}-${PARENT_ID}-01`;
const UNSAMPLED = `00-${TRACE_ID}-${PARENT_ID}-00`;

const harness = new W3cHarness();
beforeAll(() => harness.start());
afterAll(() => harness.close());

async function single(headers: readonly HeaderPair[]): Promise<{ traceparent: HarnessTraceparent; tracestate: HarnessTracestate }> {
  const [callback] = await harness.makeRequest(headers);
  return { traceparent: readTraceparent(callback!.pairs), tracestate: new HarnessTracestate(callback!.pairs) };
}

/** `traceparent` sent with `value` must not be continued: a new trace id. */
async function expectNewTrace(value: string, notTraceIds: readonly string[] = [TRACE_ID]): Promise<void> {
  const { traceparent } = await single([['traceparent', value]]);
  for (const traceId of notTraceIds) expect(traceparent.traceId, value).not.toBe(traceId);
}

/** `traceparent` sent (under `name`) with `value` must be continued: same trace id. */
async function expectSameTrace(value: string, name = 'traceparent'): Promise<void> {
  const { traceparent } = await single([[name, value]]);
  expect(traceparent.traceId, `${name}: ${value}`).toBe(TRACE_ID);
}

/** Sent after an unsampled `traceparent`, the `tracestate` headers give the list the harness reads back. */
async function tracestateAfter(...values: string[]): Promise<{ traceparent: HarnessTraceparent; tracestate: HarnessTracestate }> {
  return single([['traceparent', UNSAMPLED], ...values.map((value): HeaderPair => ['tracestate', value])]);
}

const members = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, index) => {
    const number = String(from + index).padStart(2, '0');
    return `bar${number}=${number}`;
  }).join(',');

describe('W3C trace-context suite: TraceContextTest', () => {
  it('test_both_traceparent_and_tracestate_missing', async () => {
    await single([]);
  });

  it('test_traceparent_included_tracestate_missing', async () => {
    const { traceparent } = await single([['traceparent', SAMPLED]]);
    expect(traceparent.traceId).toBe(TRACE_ID);
    expect(traceparent.parentId).not.toBe(PARENT_ID);
  });

  it('test_traceparent_duplicated', async () => {
    const { traceparent } = await single([
      ['traceparent', `00-12345678901234567890123456789011-${PARENT_ID}-01`],
      ['traceparent', SAMPLED],
    ]);
    expect(traceparent.traceId).not.toBe('12345678901234567890123456789011');
    expect(traceparent.traceId).not.toBe(TRACE_ID);
  });

  it('test_traceparent_header_name', async () => {
    const { traceparent: dashed } = await single([['trace-parent', SAMPLED]]);
    expect(dashed.traceId).not.toBe(TRACE_ID);
    const { traceparent: dotted } = await single([['trace.parent', SAMPLED]]);
    expect(dotted.traceId).not.toBe(TRACE_ID);
  });

  it('test_traceparent_header_name_valid_casing', async () => {
    for (const name of ['TraceParent', 'TrAcEpArEnT', 'TRACEPARENT']) await expectSameTrace(SAMPLED, name);
  });

  it('test_traceparent_version_0x00', async () => {
    await expectNewTrace(`${SAMPLED}.`);
    await expectNewTrace(`${SAMPLED}-what-the-future-will-be-like`);
  });

  it('test_traceparent_version_0xcc', async () => {
    await expectSameTrace(`cc-${TRACE_ID}-${PARENT_ID}-01`);
    await expectSameTrace(`cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`);
    await expectNewTrace(`cc-${TRACE_ID}-${PARENT_ID}-01.what-the-future-will-be-like`);
  });

  it('test_traceparent_version_0xff', async () => {
    await expectNewTrace(`ff-${TRACE_ID}-${PARENT_ID}-01`);
  });

  it('test_traceparent_version_illegal_characters', async () => {
    await expectNewTrace(`.0-${TRACE_ID}-${PARENT_ID}-01`);
    await expectNewTrace(`0.-${TRACE_ID}-${PARENT_ID}-01`);
  });

  it('test_traceparent_version_too_long', async () => {
    await expectNewTrace(`000-${TRACE_ID}-${PARENT_ID}-01`);
    await expectNewTrace(`0000-${TRACE_ID}-${PARENT_ID}-01`);
  });

  it('test_traceparent_version_too_short', async () => {
    await expectNewTrace(`0-${TRACE_ID}-${PARENT_ID}-01`);
  });

  it('test_traceparent_trace_id_all_zero', async () => {
    await expectNewTrace(`00-${'0'.repeat(32)}-${PARENT_ID}-01`, ['0'.repeat(32)]);
  });

  it('test_traceparent_trace_id_illegal_characters', async () => {
    await expectNewTrace(`00-.2345678901234567890123456789012-${PARENT_ID}-01`);
    await expectNewTrace(`00-1234567890123456789012345678901.-${PARENT_ID}-01`);
  });

  it('test_traceparent_trace_id_too_long', async () => {
    await expectNewTrace(`00-${TRACE_ID}3-${PARENT_ID}-01`, [TRACE_ID, '23456789012345678901234567890123']);
  });

  it('test_traceparent_trace_id_too_short', async () => {
    await expectNewTrace(`00-${TRACE_ID.slice(0, 31)}-${PARENT_ID}-01`);
  });

  it('test_traceparent_parent_id_all_zero', async () => {
    await expectNewTrace(`00-${TRACE_ID}-${'0'.repeat(16)}-01`);
  });

  it('test_traceparent_parent_id_illegal_characters', async () => {
    await expectNewTrace(`00-${TRACE_ID}-.234567890123456-01`);
    await expectNewTrace(`00-${TRACE_ID}-123456789012345.-01`);
  });

  it('test_traceparent_parent_id_too_long', async () => {
    await expectNewTrace(`00-${TRACE_ID}-${PARENT_ID}7-01`);
  });

  it('test_traceparent_parent_id_too_short', async () => {
    await expectNewTrace(`00-${TRACE_ID}-${PARENT_ID.slice(0, 15)}-01`);
  });

  it('test_traceparent_trace_flags_illegal_characters', async () => {
    await expectNewTrace(`00-${TRACE_ID}-${PARENT_ID}-.0`);
    await expectNewTrace(`00-${TRACE_ID}-${PARENT_ID}-0.`);
  });

  it('test_traceparent_trace_flags_too_long', async () => {
    await expectNewTrace(`00-${TRACE_ID}-${PARENT_ID}-001`);
  });

  it('test_traceparent_trace_flags_too_short', async () => {
    await expectNewTrace(`00-${TRACE_ID}-${PARENT_ID}-1`);
  });

  it('test_traceparent_ows_handling', async () => {
    for (const value of [` ${SAMPLED}`, `\t${SAMPLED}`, `${SAMPLED} `, `${SAMPLED}\t`, `\t ${SAMPLED} \t`]) await expectSameTrace(value);
  });

  it('test_tracestate_included_traceparent_missing', async () => {
    const { tracestate: one } = await single([['tracestate', 'foo=1']]);
    const { tracestate: two } = await single([['tracestate', 'foo=1,bar=2']]);
    expect(one.size).toBe(two.size);
  });

  it('test_tracestate_included_traceparent_included', async () => {
    const { traceparent, tracestate } = await tracestateAfter('foo=1,bar=2');
    expect(traceparent.traceId).toBe(TRACE_ID);
    expect(tracestate.get('foo')).toBe('1');
    expect(tracestate.get('bar')).toBe('2');
  });

  it('test_tracestate_header_name', async () => {
    for (const name of ['trace-state', 'trace.state']) {
      const { tracestate } = await single([['traceparent', UNSAMPLED], [name, 'foo=1']]);
      expect(tracestate.has('foo'), name).toBe(false);
    }
  });

  it('test_tracestate_header_name_valid_casing', async () => {
    for (const name of ['TraceState', 'TrAcEsTaTe', 'TRACESTATE']) {
      const { tracestate } = await single([['traceparent', UNSAMPLED], [name, 'foo=1']]);
      expect(tracestate.get('foo'), name).toBe('1');
    }
  });

  it('test_tracestate_empty_header', async () => {
    const empty = await tracestateAfter('');
    expect(empty.traceparent.traceId).toBe(TRACE_ID);
    expect(empty.tracestate.size).toBe(0);
    for (const values of [['foo=1', ''], ['', 'foo=1']]) {
      const { traceparent, tracestate } = await tracestateAfter(...values);
      expect(traceparent.traceId).toBe(TRACE_ID);
      expect(tracestate.get('foo'), JSON.stringify(values)).toBe('1');
    }
  });

  it('test_tracestate_multiple_headers_different_keys', async () => {
    const { traceparent, tracestate } = await tracestateAfter('foo=1,bar=2', 'rojo=1,congo=2', 'baz=3');
    expect(traceparent.traceId).toBe(TRACE_ID);
    const text = tracestate.toString();
    const order = ['foo=1', 'bar=2', 'rojo=1', 'congo=2', 'baz=3'].map((member) => text.indexOf(member));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('test_tracestate_duplicated_keys', async () => {
    for (const values of [['foo=1,foo=1'], ['foo=1,foo=2'], ['foo=1', 'foo=1'], ['foo=1', 'foo=2']]) {
      const { traceparent, tracestate } = await tracestateAfter(...values);
      expect(traceparent.traceId).toBe(TRACE_ID);
      expect(tracestate.get('foo'), JSON.stringify(values)).toBe('1');
    }
  });

  it('test_tracestate_all_allowed_characters', async () => {
    const keyWithoutVendor = `abcdefghijklmnopqrstuvwxyz0123456789_-*/`;
    const keyWithVendor = `${keyWithoutVendor}@a-z0-9_-*/`;
    let value = '';
    for (let code = 0x20; code <= 0x7e; code++) if (code !== 0x2c && code !== 0x3d) value += String.fromCharCode(code);
    for (const key of [keyWithoutVendor, keyWithVendor]) {
      const { tracestate } = await tracestateAfter(`${key}=${value}`);
      expect(tracestate.get(key), key).toBe(value);
    }
  });

  it('test_tracestate_ows_handling', async () => {
    for (const list of ['foo=1 \t , \t bar=2, \t baz=3', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3']) {
      const { tracestate } = await tracestateAfter(list);
      expect([tracestate.get('foo'), tracestate.get('bar'), tracestate.get('baz')], list).toEqual(['1', '2', '3']);
    }
    for (const list of [' foo=1', '\tfoo=1', 'foo=1 ', 'foo=1\t', '\t foo=1 \t']) {
      const { traceparent, tracestate } = await tracestateAfter(list);
      expect(traceparent.traceId).toBe(TRACE_ID);
      expect(tracestate.get('foo'), JSON.stringify(list)).toBe('1');
    }
  });

  it('test_tracestate_key_illegal_characters', async () => {
    for (const [list, key] of [['foo =1', 'foo '], ['FOO=1', 'FOO'], ['foo.bar=1', 'foo.bar']] as const) {
      const { tracestate } = await tracestateAfter(list);
      expect(tracestate.has(key), list).toBe(false);
    }
  });

  it('test_tracestate_key_illegal_vendor_format', async () => {
    // Level 2: `@` is an ordinary key character after the first one.
    for (const key of ['foo@', 'foo@@bar', 'foo@bar@baz']) {
      const { tracestate } = await tracestateAfter(`${key}=1,bar=2`);
      expect(tracestate.get(key), key).toBe('1');
      expect(tracestate.get('bar'), key).toBe('2');
    }
    // A key cannot start with `@`: the list is discarded as a whole.
    const { tracestate } = await tracestateAfter('@foo=1,bar=2');
    expect(tracestate.has('bar')).toBe(false);
  });

  it('test_tracestate_member_count_limit', async () => {
    const thirtyTwo = await tracestateAfter(members(1, 10), members(11, 20), members(21, 30), members(31, 32));
    expect(thirtyTwo.tracestate.get('bar01')).toBe('01');
    expect(thirtyTwo.tracestate.size).toBe(32);
    const thirtyThree = await tracestateAfter(members(1, 10), members(11, 20), members(21, 30), members(31, 33));
    expect(thirtyThree.tracestate.has('bar01')).toBe(false);
  });

  it('test_tracestate_key_length_limit', async () => {
    // 256 characters in all is the only limit, wherever an `@` stands.
    for (const key of ['z'.repeat(256), `${'t'.repeat(241)}@${'v'.repeat(14)}`, `${'t'.repeat(242)}@v`, `t@${'v'.repeat(15)}`, `${'t'.repeat(242)}@${'v'.repeat(13)}`]) {
      const { tracestate } = await tracestateAfter('foo=1', `${key}=1`);
      expect(tracestate.get('foo'), `${key.length}: ${key.slice(0, 3)}…`).toBe('1');
    }
    for (const key of ['z'.repeat(257), `${'t'.repeat(242)}@${'v'.repeat(14)}`]) {
      const { tracestate } = await tracestateAfter('foo=1', `${key}=1`);
      expect(tracestate.has('foo'), `${key.length}`).toBe(false);
    }
  });

  it('test_tracestate_value_illegal_characters', async () => {
    const equals = await tracestateAfter('foo=bar=baz');
    expect(equals.tracestate.has('foo')).toBe(false);
    const empty = await tracestateAfter('foo=,bar=3');
    expect(empty.tracestate.has('foo')).toBe(false);
    expect(empty.tracestate.has('bar')).toBe(false);
  });
});

describe('W3C trace-context suite: AdvancedTest', () => {
  async function callbacks(headers: readonly HeaderPair[]): Promise<HarnessTraceparent[]> {
    const seen = await harness.makeRequest(headers, 3);
    return seen.map((callback) => readTraceparent(callback.pairs));
  }

  it('test_multiple_requests_with_valid_traceparent', async () => {
    const seen = await callbacks([['traceparent', SAMPLED]]);
    expect(new Set(seen.map(({ traceId }) => traceId))).toEqual(new Set([TRACE_ID]));
    expect(new Set(seen.map(({ parentId }) => parentId)).size).toBe(3);
  });

  it('test_multiple_requests_without_traceparent', async () => {
    const seen = await callbacks([]);
    expect(new Set(seen.map(({ parentId }) => parentId)).size).toBe(3);
  });

  it('test_multiple_requests_with_illegal_traceparent', async () => {
    const seen = await callbacks([['traceparent', `00-${'0'.repeat(32)}-${PARENT_ID}-01`]]);
    expect(seen.map(({ traceId }) => traceId)).not.toContain('0'.repeat(32));
    expect(new Set(seen.map(({ parentId }) => parentId)).size).toBe(3);
  });
});

describe('W3C trace-context suite: TraceContext2Test (SPEC_LEVEL 2)', () => {
  it('test_propagates_random_flag', async () => {
    const { traceparent } = await single([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-02`]]);
    expect(traceparent.traceId).toBe(TRACE_ID);
    expect(traceparent.parentId).not.toBe(PARENT_ID);
    expect(traceparent.traceFlags & 0x02).toBe(0x02);
  });
});
