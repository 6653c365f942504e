import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { CaracalError } from '../errors.ts';
import { refusalResponse } from './refusal-response.ts';
import type { Revocation, RevocationQuery, RevocationStore } from './revocation-store.ts';

/** The trailer that tells a streaming client its response was cut by a revocation (seed 003). @since 0.1.0 */
export const REVOKED_TRAILER = 'X-Caracal-Revoked';
/** How often a streamed response re-checks revocation: every this many bytes written (seed 003: 4 KB). @since 0.1.0 */
export const REVOCATION_CHECK_BYTES = 4096;

/** @since 0.1.0 */
export interface ResponseGuardOptions {
  readonly store: RevocationStore;
  /** The caller's session and edges; the response is cut when any of them is revoked. */
  readonly query: RevocationQuery;
  /** @default REVOCATION_CHECK_BYTES */
  readonly chunkBytes?: number;
}

/** @since 0.1.0 */
export interface ResponseGuard {
  /** Aborted (reason: a `MANDATE_REVOKED` CaracalError) when the response is cut; stop producing then. */
  readonly signal: AbortSignal;
  readonly revoked: boolean;
  /** Stops listening for pushed revocations (done automatically when the response closes). */
  release(): void;
}

type WriteCallback = (error?: Error | null) => void;

function hasHeaderArgument(headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | string | undefined, name: string): boolean {
  if (headers === undefined || typeof headers === 'string') return false;
  if (Array.isArray(headers)) {
    const flat = headers.flat() as unknown[];
    for (let index = 0; index < flat.length; index += 2) if (String(flat[index]).toLowerCase() === name) return true;
    return false;
  }
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Trailers need chunked encoding: HTTP/1.1, a body, and no fixed Content-Length. */
function canCarryTrailer(response: ServerResponse, statusCode: number, headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | string | undefined): boolean {
  if (response.headersSent || !response.useChunkedEncodingByDefault || response.req?.method === 'HEAD') return false;
  if (statusCode < 200 || statusCode === 204 || statusCode === 304) return false;
  for (const name of ['content-length', 'transfer-encoding', 'trailer']) {
    if (response.hasHeader(name) || hasHeaderArgument(headers, name)) return false;
  }
  return true;
}

function toBytes(chunk: unknown, encoding: BufferEncoding | undefined): Buffer | undefined {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return undefined;
}

function firstMatch(revocation: Revocation, query: RevocationQuery): string | undefined {
  const sessions = new Set(revocation.sessionIds);
  if (query.sessionId !== undefined && sessions.has(query.sessionId)) return query.sessionId;
  for (const sessionId of query.sessionIds ?? []) if (sessions.has(sessionId)) return sessionId;
  const edges = new Set(revocation.edgeIds);
  for (const edgeId of query.edgeIds ?? []) if (edges.has(edgeId)) return edgeId;
  return undefined;
}

/**
 * Enforces revocation while a node:http response is being written (seed 003): the store is
 * checked at every 4 KiB written, and a revocation pushed to the store cuts the response at once
 * even while nothing is being written. A streamed (chunked) response declares
 * `Trailer: X-Caracal-Revoked` up front and, when cut, ends with that trailer (its value is the
 * revoked id); writes after the cut are dropped. A response not yet started is answered
 * `401 invalid_token` instead; a fixed-length one can only be cut by closing the connection.
 *
 * It wraps this one response's `write`/`end`/`writeHead` (instance properties, nothing global).
 * @example
 * const guard = guardResponse(response, { store, query: { sessionId: claims.agent_session_id, edgeIds: claims.delegation_path } });
 * for await (const part of produce({ signal: guard.signal })) response.write(part);
 * @since 0.1.0
 */
export function guardResponse(response: ServerResponse, options: ResponseGuardOptions): ResponseGuard {
  const { store, query } = options;
  const chunkBytes = options.chunkBytes ?? REVOCATION_CHECK_BYTES;
  // Loosely typed: the overloads of write/end/writeHead are forwarded as they were called.
  type Forward = (...parameters: unknown[]) => unknown;
  const original = { write: response.write as Forward, end: response.end as Forward, writeHead: response.writeHead as Forward };
  const abort = new AbortController();
  let sinceCheck = 0;
  let streaming = false;
  let ending = false;
  let trailerDeclared = false;
  let cut = false;

  const unsubscribe = store.onRevoked((revocation) => {
    const revokedId = firstMatch(revocation, query);
    if (revokedId !== undefined) cutResponse(revokedId);
  });
  const release = (): void => unsubscribe();
  response.once('close', release);

  function cutResponse(revokedId: string): void {
    if (cut) return;
    cut = true;
    release();
    const error = new CaracalError('MANDATE_REVOKED', `The mandate was revoked (${revokedId}) while the response was being sent.`, { status: 401, serverCode: 'revoked' });
    abort.abort(error);
    if (response.writableEnded || response.destroyed) return;
    if (!response.headersSent) {
      const refusal = refusalResponse(error);
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      original.writeHead.call(response, refusal.status, refusal.headers);
      original.end.call(response, JSON.stringify(refusal.body));
    } else if (trailerDeclared && response.chunkedEncoding) {
      response.addTrailers({ [REVOKED_TRAILER]: revokedId });
      original.end.call(response);
    } else if (response.socket !== null) {
      // Fixed length: the body cannot end early in-band. Ending the socket delivers what was
      // written, then closes the connection, so the client sees an incomplete body.
      response.socket.end();
    } else {
      response.destroy();
    }
  }

  /** Checks the store now; cuts and returns true when revoked. */
  function revokedNow(): boolean {
    const revokedId = store.findRevoked(query);
    if (revokedId !== undefined) cutResponse(revokedId);
    return cut;
  }

  function writeChecked(chunk: unknown, encoding: BufferEncoding | undefined, callback: WriteCallback | undefined): boolean {
    const bytes = toBytes(chunk, encoding);
    if (bytes === undefined || bytes.length === 0) return original.write.call(response, chunk, encoding, callback) as boolean;
    let offset = 0;
    let result = true;
    while (offset < bytes.length) {
      const take = Math.min(bytes.length - offset, chunkBytes - sinceCheck);
      const slice = bytes.subarray(offset, offset + take);
      offset += take;
      sinceCheck += take;
      result = original.write.call(response, slice, offset >= bytes.length ? callback : undefined) as boolean;
      if (sinceCheck >= chunkBytes) {
        sinceCheck = 0;
        if (revokedNow()) {
          if (offset < bytes.length && callback !== undefined) process.nextTick(callback);
          return false;
        }
      }
    }
    return result;
  }

  response.writeHead = function guardedWriteHead(this: ServerResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
    if (cut) return response;
    const headers = rest.find((argument) => typeof argument === 'object' && argument !== null) as OutgoingHttpHeaders | undefined;
    if (!ending && canCarryTrailer(response, statusCode, headers)) {
      response.setHeader('Trailer', REVOKED_TRAILER);
      trailerDeclared = true;
    }
    return original.writeHead.call(response, statusCode, ...rest) as ServerResponse;
  } as typeof response.writeHead;

  response.write = function guardedWrite(chunk: unknown, encodingOrCallback?: BufferEncoding | WriteCallback, maybeCallback?: WriteCallback): boolean {
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    if (cut) {
      if (callback !== undefined) process.nextTick(callback);
      return false;
    }
    streaming = true;
    return writeChecked(chunk, encoding, callback);
  } as typeof response.write;

  response.end = function guardedEnd(chunk?: unknown, encodingOrCallback?: BufferEncoding | (() => void), maybeCallback?: () => void): ServerResponse {
    let body = typeof chunk === 'function' ? undefined : chunk;
    const callback = (typeof chunk === 'function' ? chunk : typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback) as (() => void) | undefined;
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined;
    if (!cut && !streaming && !response.headersSent) revokedNow();
    if (!cut && streaming && body !== undefined && body !== null) {
      writeChecked(body, encoding, undefined);
      body = undefined;
    }
    if (cut) {
      if (callback !== undefined) process.nextTick(callback);
      return response;
    }
    ending = true;
    try {
      return original.end.call(response, body, encoding, callback) as ServerResponse;
    } finally {
      ending = false;
    }
  } as typeof response.end;

  return {
    signal: abort.signal,
    get revoked() {
      return cut;
    },
    release,
  };
}
