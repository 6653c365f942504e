import { isLowerHex, isOws, LOWER_HEX_TABLE } from './chars.ts';
import { DEFAULT_TRACE_FLAGS, TRACEPARENT_LENGTH, TRACEPARENT_VERSION } from './constants.ts';
import { isValidSpanId, isValidTraceFlags, isValidTraceId } from './ids.ts';

/**
 * A parsed W3C `traceparent`.
 * @example
 * const { traceId, spanId } = parseTraceparent(header) ?? fallback;
 * @since 0.1.0
 */
export interface Traceparent {
  /** Two lowercase hex digits; `00` for this level of the spec, never `ff`. */
  readonly version: string;
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** The caller's span id (`parent-id`): 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** Two lowercase hex digits; bit 0 is "sampled", bit 1 "random" (level 2). */
  readonly traceFlags: string;
}

/**
 * What {@link formatTraceparent} needs.
 * @example
 * formatTraceparent({ traceId: newTraceId(), spanId: newSpanId(), traceFlags: '01' });
 * @since 0.1.0
 */
export interface TraceparentParts {
  readonly traceId: string;
  readonly spanId: string;
  /** @default '01' */
  readonly traceFlags?: string;
}

const DASH = 0x2d;

/** Lowercase hex and not all zero, in one pass over `value[from, to)`. */
function isNonZeroHexId(value: string, from: number, to: number): boolean {
  let nonZero = false;
  for (let index = from; index < to; index++) {
    const code = value.charCodeAt(index);
    if (code >= 128 || LOWER_HEX_TABLE[code] !== 1) return false;
    if (code !== 0x30) nonZero = true;
  }
  return nonZero;
}

/**
 * Parses a W3C Trace Context level 2 `traceparent` value; `null` when it is not one.
 *
 * Version `00` must be exactly 55 characters. Version `ff` is invalid. A higher version is read
 * by its version-00 prefix and must end or continue with `-` after it, as the spec asks of
 * parsers meeting a future version. Only lowercase hex is accepted and all-zero ids are invalid.
 * Leading and trailing spaces or tabs are HTTP framing, not part of the value, and are ignored.
 * Never throws.
 * @param value - the header value as received.
 * @returns the four fields, or `null` when the value is not a valid `traceparent`.
 * @example
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { version: '00', traceId: '4bf9…4736', spanId: '00f067aa0ba902b7', traceFlags: '01' }
 * @since 0.1.0
 */
export function parseTraceparent(value: string): Traceparent | null {
  const start = traceparentStart(value);
  if (start === -1) return null;
  return {
    version: value.slice(start, start + 2),
    traceId: value.slice(start + 3, start + 35),
    spanId: value.slice(start + 36, start + 52),
    traceFlags: value.slice(start + 53, start + 55),
  };
}

/**
 * Where the valid `traceparent` in `value` starts (after leading OWS), or -1: the check behind
 * {@link parseTraceparent}, which `extract` uses to slice fields without an intermediate object.
 * @internal
 */
export function traceparentStart(value: string): number {
  if (typeof value !== 'string') return -1;
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  const length = end - start;
  if (length < TRACEPARENT_LENGTH) return -1;

  const v0 = value.charCodeAt(start);
  const v1 = value.charCodeAt(start + 1);
  if (!isLowerHex(v0) || !isLowerHex(v1)) return -1;
  if (v0 === 0x66 && v1 === 0x66) return -1; // version ff is forbidden
  if (v0 === 0x30 && v1 === 0x30) {
    if (length !== TRACEPARENT_LENGTH) return -1;
  } else if (length > TRACEPARENT_LENGTH && value.charCodeAt(start + TRACEPARENT_LENGTH) !== DASH) {
    return -1;
  }

  if (
    value.charCodeAt(start + 2) !== DASH ||
    value.charCodeAt(start + 35) !== DASH ||
    value.charCodeAt(start + 52) !== DASH
  ) {
    return -1;
  }
  if (!isNonZeroHexId(value, start + 3, start + 35) || !isNonZeroHexId(value, start + 36, start + 52)) return -1;
  if (!isLowerHex(value.charCodeAt(start + 53)) || !isLowerHex(value.charCodeAt(start + 54))) return -1;
  return start;
}

/**
 * Formats a version `00` `traceparent` value; `null` when an id or the flags are not valid, so
 * an invalid header is never produced.
 * @param parts - trace id, span id and optional flags.
 * @returns the header value, or `null` when a part is invalid.
 * @example
 * formatTraceparent({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
 * // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
 * @since 0.1.0
 */
export function formatTraceparent(parts: TraceparentParts): string | null {
  const traceFlags = parts.traceFlags ?? DEFAULT_TRACE_FLAGS;
  if (!isValidTraceId(parts.traceId) || !isValidSpanId(parts.spanId) || !isValidTraceFlags(traceFlags)) return null;
  return `${TRACEPARENT_VERSION}-${parts.traceId}-${parts.spanId}-${traceFlags}`;
}
