/**
 * How the W3C harness reads the headers of a callback, written after its rules: exactly one
 * `traceparent`, version 00 with non-zero ids; every `tracestate` header must parse (Level 2 key
 * grammar), a repeated key keeps its first value. A header the harness would refuse throws, which
 * fails the case as the harness does.
 */
import type { HeaderPair } from './w3c-harness.ts';

export interface HarnessTraceparent {
  readonly traceId: string;
  readonly parentId: string;
  readonly traceFlags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const KEY = '[a-z0-9][_0-9a-z\\-*/@]{0,255}';
const VALUE = '[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]';
const MEMBER = new RegExp(`^(${KEY})=(${VALUE})$`);
const DELIMITER = /[ \t]*,[ \t]*/;

function named(pairs: readonly HeaderPair[], name: string): string[] {
  return pairs.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

/** The one `traceparent` of a callback; throws on none, several, or one the harness refuses. */
export function readTraceparent(pairs: readonly HeaderPair[]): HarnessTraceparent {
  const values = named(pairs, 'traceparent');
  if (values.length !== 1) throw new Error(`expected one traceparent header, got ${values.length}: ${JSON.stringify(values)}`);
  const match = TRACEPARENT.exec(values[0]!);
  if (match === null) throw new Error(`traceparent ${JSON.stringify(values[0])} is not version-00 shaped`);
  const [, version, traceId, parentId, flags] = match as unknown as [string, string, string, string, string];
  if (version !== '00') throw new Error(`traceparent version ${version} is not 00`);
  if (/^0+$/.test(traceId)) throw new Error('all-zero trace id');
  if (/^0+$/.test(parentId)) throw new Error('all-zero parent id');
  return { traceId, parentId, traceFlags: Number.parseInt(flags, 16) };
}

/** The list the harness rebuilds from every `tracestate` header of a callback. */
export class HarnessTracestate {
  readonly #members = new Map<string, string>();

  constructor(pairs: readonly HeaderPair[]) {
    for (const value of named(pairs, 'tracestate')) {
      for (const member of value.split(DELIMITER)) {
        if (member === '') continue;
        const match = MEMBER.exec(member);
        if (match === null) throw new Error(`the harness refuses the tracestate member ${JSON.stringify(member)}`);
        if (!this.#members.has(match[1]!)) this.#members.set(match[1]!, match[2]!);
      }
    }
  }

  has(key: string): boolean {
    return this.#members.has(key);
  }

  get(key: string): string | undefined {
    return this.#members.get(key);
  }

  get size(): number {
    return this.#members.size;
  }

  toString(): string {
    return [...this.#members].map(([key, value]) => `${key}=${value}`).join(',');
  }
}
