import type * as Undici from 'undici';

/**
 * undici is loaded on the first request, not at import: it is most of the SDK's cold-import cost,
 * and code that only binds contexts or builds headers never needs it.
 */
let loading: Promise<typeof Undici> | undefined;

/** @internal */
export function loadUndici(): Promise<typeof Undici> {
  return (loading ??= import('undici'));
}
