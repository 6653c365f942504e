import fc from 'fast-check';

/**
 * Shared fast-check arbitraries for the propagation tests: valid W3C values for round trips, and
 * cheap near-valid mutations of them for the "never throws" runs.
 */

const HEX = '0123456789abcdef'.split('');
const KEY_TAIL = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/'.split('');
const LOWER_ALPHA = 'abcdefghijklmnopqrstuvwxyz'.split('');
const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('');
const BAGGAGE_OCTETS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) => String.fromCharCode(0x21 + index)).filter(
  (char) => !'",;\\'.includes(char),
);
/** Characters that matter to the grammars, so random strings hit separators and edge cases. */
const GRAMMAR_CHARS = '0123456789abcdefABCDEF-_=,;@%*/. \t"\\xyzé\u0000'.split('');

export const hexString = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });

export const traceIdArb = hexString(32).filter((id) => !/^0+$/.test(id));
export const spanIdArb = hexString(16).filter((id) => !/^0+$/.test(id));
export const flagsArb = hexString(2);

export const traceparentArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constant('00'), hexString(2).filter((version) => version !== 'ff')),
    traceIdArb,
    spanIdArb,
    flagsArb,
    fc.string({ maxLength: 8 }),
  )
  .map(([version, traceId, spanId, flags, tail]) =>
    version === '00' ? `00-${traceId}-${spanId}-${flags}` : `${version}-${traceId}-${spanId}-${flags}${tail === '' ? '' : `-${tail}`}`,
  );

const simpleKeyArb = fc
  .tuple(fc.constantFrom(...LOWER_ALPHA), fc.string({ unit: fc.constantFrom(...KEY_TAIL), maxLength: 20 }))
  .map(([head, tail]) => head + tail);
const multiTenantKeyArb = fc
  .tuple(
    fc.constantFrom(...LOWER_ALPHA, ...'0123456789'.split('')),
    fc.string({ unit: fc.constantFrom(...KEY_TAIL), maxLength: 12 }),
    fc.constantFrom(...LOWER_ALPHA),
    fc.string({ unit: fc.constantFrom(...KEY_TAIL), maxLength: 13 }),
  )
  .map(([head, tenant, systemHead, system]) => `${head}${tenant}@${systemHead}${system}`);
export const tracestateKeyArb = fc.oneof(simpleKeyArb, multiTenantKeyArb);
const tracestateChars = Array.from({ length: 0x7e - 0x20 + 1 }, (_, index) => String.fromCharCode(0x20 + index)).filter(
  (char) => char !== ',' && char !== '=',
);
export const tracestateValueArb = fc
  .tuple(fc.string({ unit: fc.constantFrom(...tracestateChars), maxLength: 30 }), fc.constantFrom(...tracestateChars.filter((char) => char !== ' ')))
  .map(([body, last]) => body + last);
export const tracestateEntriesArb = fc.uniqueArray(fc.record({ key: tracestateKeyArb, value: tracestateValueArb }), {
  maxLength: 32,
  selector: (entry) => entry.key,
});

export const tokenArb = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 16 });
const propertyArb = fc
  .tuple(tokenArb, fc.option(fc.string({ unit: fc.constantFrom(...BAGGAGE_OCTETS), maxLength: 8 })))
  .map(([key, value]) => (value === null ? key : `${key}=${value}`));
export const propertiesArb = fc.array(propertyArb, { minLength: 1, maxLength: 3 }).map((properties) => properties.join(';'));
export const baggageEntryArb = fc
  .tuple(tokenArb, fc.string({ unit: 'binary', maxLength: 16 }), fc.option(propertiesArb))
  .map(([key, value, properties]) => (properties === null ? { key, value } : { key, value, properties }));
export const baggageEntriesArb = fc.array(baggageEntryArb, { maxLength: 12 });

/** Random single-character edits of a valid value: the inputs most likely to trip a parser. */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'delete', 'upper', 'cut'), fc.constantFrom(...GRAMMAR_CHARS));
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([value, edits]) => {
    let text = value;
    for (const [position, kind, char] of edits) {
      const index = text.length === 0 ? 0 : position % text.length;
      if (kind === 'replace') text = text.slice(0, index) + char + text.slice(index + 1);
      else if (kind === 'insert') text = text.slice(0, index) + char + text.slice(index);
      else if (kind === 'delete') text = text.slice(0, index) + text.slice(index + 1);
      else if (kind === 'upper') text = text.toUpperCase();
      else text = text.slice(0, index);
    }
    return text;
  });
}

/** Fully random strings, grammar-heavy strings, valid values and mutated valid values. */
export function wireInput(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...GRAMMAR_CHARS), maxLength: 70 }),
    valid,
    mutated(valid),
  );
}

/** 100,000 runs: the brief's floor for "never throws on wire input". */
export const NEVER_THROWS_RUNS = 100_000;

/**
 * Each 100,000-run property takes 1–4 s on an idle machine; the limit is generous because shared
 * CI machines are not idle, and a timeout there would say nothing about the parser.
 */
export const PROPERTY_TIMEOUT_MS = 60_000;
