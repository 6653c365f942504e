import { isBaggageOctet } from './chars.ts';

/**
 * Percent-encoding of W3C Baggage values. Only what the grammar forbids is encoded (plus `%`
 * itself), so ids and other plain values pass through without a copy.
 * @internal
 */

const PERCENT = 0x25;
const HEX_UPPER = '0123456789ABCDEF';
// ignoreBOM keeps a leading U+FEFF: it is part of the value, not a byte-order mark here.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes `text[from, to)`, whose characters are already known to be baggage-octets. Octets that
 * are not UTF-8 become U+FFFD, as the Baggage spec requires; a `%` not followed by two hex digits
 * is kept literally rather than rejecting the whole header.
 */
export function percentDecode(text: string, from: number, to: number): string {
  const first = text.indexOf('%', from);
  if (first === -1 || first >= to) return text.slice(from, to);
  const bytes = new Uint8Array(to - from);
  let length = 0;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code === PERCENT && index + 2 < to) {
      const high = hexValue(text.charCodeAt(index + 1));
      const low = hexValue(text.charCodeAt(index + 2));
      if (high !== -1 && low !== -1) {
        bytes[length++] = (high << 4) | low;
        index += 2;
        continue;
      }
    }
    bytes[length++] = code;
  }
  return decoder.decode(bytes.subarray(0, length));
}

/** Encodes a value so that every character is a baggage-octet and `%` means an escape. */
export function percentEncode(value: string): string {
  let index = 0;
  while (index < value.length) {
    const code = value.charCodeAt(index);
    if (code === PERCENT || !isBaggageOctet(code)) break;
    index++;
  }
  if (index === value.length) return value;
  // Lone surrogates become U+FFFD through TextEncoder, so the output is always valid UTF-8.
  const bytes = encoder.encode(value.slice(index));
  let out = value.slice(0, index);
  for (const byte of bytes) {
    out += byte !== PERCENT && isBaggageOctet(byte) ? String.fromCharCode(byte) : `%${HEX_UPPER[byte >> 4]}${HEX_UPPER[byte & 15]}`;
  }
  return out;
}
