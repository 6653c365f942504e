/**
 * Character classes of the W3C grammars as lookup tables, so the parsers test one byte with one
 * array read instead of a regular expression (they run on every request).
 * @internal
 */

const LOWER_HEX = 1;
const TCHAR = 2;
const BAGGAGE_OCTET = 4;
const TRACESTATE_KEY = 8;

const table = new Uint8Array(128);
for (let code = 0x30; code <= 0x39; code++) table[code]! |= LOWER_HEX | TCHAR | TRACESTATE_KEY;
for (let code = 0x61; code <= 0x66; code++) table[code]! |= LOWER_HEX;
for (let code = 0x61; code <= 0x7a; code++) table[code]! |= TCHAR | TRACESTATE_KEY;
for (let code = 0x41; code <= 0x5a; code++) table[code]! |= TCHAR;
// RFC 9110 token characters besides letters and digits.
for (const char of "!#$%&'*+-.^_`|~") table[char.charCodeAt(0)]! |= TCHAR;
// tracestate keychar (Level 2): lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@".
for (const char of '_-*/@') table[char.charCodeAt(0)]! |= TRACESTATE_KEY;
// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
for (let code = 0x21; code <= 0x7e; code++) {
  if (code !== 0x22 && code !== 0x2c && code !== 0x3b && code !== 0x5c) table[code]! |= BAGGAGE_OCTET;
}

/** Per-class tables (1 = member), indexed directly by the hottest loops of `extract`. */
export const TCHAR_TABLE: Uint8Array = table.map((bits) => ((bits & TCHAR) === 0 ? 0 : 1));
export const BAGGAGE_OCTET_TABLE: Uint8Array = table.map((bits) => ((bits & BAGGAGE_OCTET) === 0 ? 0 : 1));
export const LOWER_HEX_TABLE: Uint8Array = table.map((bits) => ((bits & LOWER_HEX) === 0 ? 0 : 1));

/** A regular-expression character class (`[...]`) for the members of a table, so both agree. */
export function characterClass(members: Uint8Array): string {
  let source = '';
  for (let code = 0; code < members.length; code++) {
    if (members[code] === 1) source += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `[${source}]`;
}

/** True for `0-9a-f`. */
export function isLowerHex(code: number): boolean {
  return code < 128 && (table[code]! & LOWER_HEX) !== 0;
}

/** True for an RFC 9110 `tchar`. */
export function isTchar(code: number): boolean {
  return code < 128 && (table[code]! & TCHAR) !== 0;
}

/** True for a W3C Baggage `baggage-octet`. */
export function isBaggageOctet(code: number): boolean {
  return code < 128 && (table[code]! & BAGGAGE_OCTET) !== 0;
}

/** True for a character allowed after the first one of a `tracestate` key part. */
export function isTracestateKeyChar(code: number): boolean {
  return code < 128 && (table[code]! & TRACESTATE_KEY) !== 0;
}

/** True for `a-z`. */
export function isLowerAlpha(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

/** True for `0-9`. */
export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** True for RFC 9110 optional whitespace: space or horizontal tab. */
export function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** True when `value[from, to)` is non-empty and all lowercase hex. */
export function isLowerHexRange(value: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let index = from; index < to; index++) {
    if (!isLowerHex(value.charCodeAt(index))) return false;
  }
  return true;
}

/** True when every character of `value[from, to)` is `0`. */
export function isZeroRange(value: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    if (value.charCodeAt(index) !== 0x30) return false;
  }
  return true;
}

/** True when `value` is a non-empty RFC 9110 token. */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let index = 0; index < value.length; index++) {
    if (!isTchar(value.charCodeAt(index))) return false;
  }
  return true;
}
