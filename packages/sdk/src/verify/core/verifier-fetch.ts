import type { Dispatcher } from 'undici';
import { loadUndici } from '../../http/load-undici.ts';

/**
 * The part of a `fetch` response the verifier reads. Node's global `fetch`, undici's `fetch` and
 * test doubles all fit.
 * @since 0.1.0
 */
export interface VerifierFetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Uint8Array> | null;
  json(): Promise<unknown>;
}

/**
 * The `fetch` the receiving side uses for its GET requests (the zone JWKS, the revocation SSE
 * stream, edge lookups). Structural and narrower than the transports' `FetchLike`, so Node's
 * global `fetch`, undici's `fetch` and small test doubles all fit.
 * @since 0.1.0
 */
export type VerifierFetch = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal; dispatcher?: Dispatcher },
) => Promise<VerifierFetchResponse>;

/**
 * The `fetch` to use: the caller's, or undici's (with the caller's dispatcher, if any). undici 8
 * dispatchers do not plug into Node's built-in `fetch`, hence undici's own, loaded on the first
 * request (it is most of the import cost, and it fails to load on Node.js older than 22).
 * @internal
 */
export function resolveFetch(options: { fetch?: VerifierFetch | undefined; dispatcher?: Dispatcher | undefined }): VerifierFetch {
  if (options.fetch !== undefined) return options.fetch;
  const dispatcher = options.dispatcher;
  return async (url, init) => {
    const { fetch } = await loadUndici();
    return (await fetch(url, dispatcher === undefined ? init : { ...init, dispatcher })) as unknown as VerifierFetchResponse;
  };
}
