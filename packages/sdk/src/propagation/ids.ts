import { randomFillSync } from 'node:crypto';
import { isLowerHexRange, isZeroRange } from './chars.ts';

/**
 * Trace and span ids. A span id is minted for every outbound call, so ids come from a pool of
 * cryptographically random bytes that is refilled in batches and hex-encoded once per batch:
 * one id then costs a `slice`, not a system call. `Math.random` is never used: predictable ids
 * would let a caller guess another request's trace.
 */

const POOL_BYTES = 8192;
const ZERO_SPAN_ID = '0000000000000000';
const ZERO_TRACE_ID = '00000000000000000000000000000000';

let pool = '';
let offset = 0;

function take(hexChars: number): string {
  if (offset + hexChars > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString('hex');
    offset = 0;
  }
  const id = pool.slice(offset, offset + hexChars);
  offset += hexChars;
  return id;
}

/**
 * A fresh random W3C trace id: 32 lowercase hex digits, never all zero.
 * @returns 32 lowercase hex digits.
 * @example
 * const traceId = newTraceId(); // '4bf92f3577b34da6a3ce929d0e0e4736'
 * @since 0.1.0
 */
export function newTraceId(): string {
  let id = take(32);
  // All zero is the W3C "invalid" id; the odds are 2^-128, but the rule is absolute.
  while (id === ZERO_TRACE_ID) id = take(32);
  return id;
}

/**
 * A fresh random W3C span (parent) id: 16 lowercase hex digits, never all zero.
 * @returns 16 lowercase hex digits.
 * @example
 * const spanId = newSpanId(); // '00f067aa0ba902b7'
 * @since 0.1.0
 */
export function newSpanId(): string {
  let id = take(16);
  while (id === ZERO_SPAN_ID) id = take(16);
  return id;
}

/**
 * True for a valid W3C trace id: 32 lowercase hex digits, not all zero.
 * @param value - the candidate id.
 * @returns whether it is a usable trace id.
 * @example
 * isValidTraceId('4bf92f3577b34da6a3ce929d0e0e4736'); // true
 * @since 0.1.0
 */
export function isValidTraceId(value: string): boolean {
  return typeof value === 'string' && value.length === 32 && isLowerHexRange(value, 0, 32) && !isZeroRange(value, 0, 32);
}

/**
 * True for a valid W3C span (parent) id: 16 lowercase hex digits, not all zero.
 * @param value - the candidate id.
 * @returns whether it is a usable span id.
 * @example
 * isValidSpanId('00f067aa0ba902b7'); // true
 * @since 0.1.0
 */
export function isValidSpanId(value: string): boolean {
  return typeof value === 'string' && value.length === 16 && isLowerHexRange(value, 0, 16) && !isZeroRange(value, 0, 16);
}

/**
 * True for valid W3C trace flags: two lowercase hex digits.
 * @param value - the candidate flags.
 * @returns whether they are two lowercase hex digits.
 * @example
 * isValidTraceFlags('01'); // true
 * @since 0.1.0
 */
export function isValidTraceFlags(value: string): boolean {
  return typeof value === 'string' && value.length === 2 && isLowerHexRange(value, 0, 2);
}
