import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { CaracalError } from '../../errors.ts';
import { refusalResponse } from '../core/refusal-response.ts';
import type { Revocation, RevocationQuery, RevocationStore } from '../revocation/revocation-store.ts';

/**
 * The trailer that tells a streaming client its response was cut by a revocation
 * (docs/decisions/2026-12-04-revocation-model.md). @since 0.1.0
 */
export const REVOKED_TRAILER = 'X-Caracal-Revoked';
/**
 * How often a streamed response re-checks revocation: every this many bytes written, 4 KiB
 * (docs/decisions/2026-12-04-revocation-model.md). @since 0.1.0
 */
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

type Forward = (...parameters: unknown[]) => unknown;

/** The guard's state and behaviour for one response. */
class GuardedResponse {
  readonly abort = new AbortController();
  readonly #response: ServerResponse;
  readonly #store: RevocationStore;
  readonly #query: RevocationQuery;
  readonly #chunkBytes: number;
  // Loosely typed: the overloads of write/end/writeHead are forwarded as they were called.
  readonly #original: { write: Forward; end: Forward; writeHead: Forward };
  readonly #unsubscribe: () => void;
  #sinceCheck = 0;
  #streaming = false;
  #ending = false;
  #trailerDeclared = false;
  cut = false;

  constructor(response: ServerResponse, options: ResponseGuardOptions) {
    this.#response = response;
    this.#store = options.store;
    this.#query = options.query;
    this.#chunkBytes = options.chunkBytes ?? REVOCATION_CHECK_BYTES;
    this.#original = { write: response.write as Forward, end: response.end as Forward, writeHead: response.writeHead as Forward };
    this.#unsubscribe = options.store.onRevoked((revocation) => {
      const revokedId = firstMatch(revocation, this.#query);
      if (revokedId !== undefined) this.cutResponse(revokedId);
    });
    response.once('close', this.release);
  }

  readonly release = (): void => this.#unsubscribe();

  cutResponse(revokedId: string): void {
    if (this.cut) return;
    this.cut = true;
    this.release();
    const error = new CaracalError('MANDATE_REVOKED', `The mandate was revoked (${revokedId}) while the response was being sent.`, { status: 401, serverCode: 'revoked' });
    this.abort.abort(error);
    const response = this.#response;
    if (response.writableEnded || response.destroyed) return;
    if (!response.headersSent) {
      const refusal = refusalResponse(error);
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      this.#original.writeHead.call(response, refusal.status, refusal.headers);
      this.#original.end.call(response, JSON.stringify(refusal.body));
    } else if (this.#trailerDeclared && response.chunkedEncoding) {
      response.addTrailers({ [REVOKED_TRAILER]: revokedId });
      this.#original.end.call(response);
    } else if (response.socket !== null) {
      // Fixed length: the body cannot end early in-band. Ending the socket delivers what was
      // written, then closes the connection, so the client sees an incomplete body.
      response.socket.end();
    } else {
      response.destroy();
    }
  }

  /** Checks the store now; cuts and returns true when revoked. */
  revokedNow(): boolean {
    const revokedId = this.#store.findRevoked(this.#query);
    if (revokedId !== undefined) this.cutResponse(revokedId);
    return this.cut;
  }

  /** Writes `chunk` in slices that end on 4 KiB boundaries, checking the store at each. */
  writeChecked(chunk: unknown, encoding: BufferEncoding | undefined, callback: WriteCallback | undefined): boolean {
    const bytes = toBytes(chunk, encoding);
    if (bytes === undefined || bytes.length === 0) return this.#original.write.call(this.#response, chunk, encoding, callback) as boolean;
    let offset = 0;
    let result = true;
    while (offset < bytes.length) {
      const take = Math.min(bytes.length - offset, this.#chunkBytes - this.#sinceCheck);
      offset += take;
      this.#sinceCheck += take;
      result = this.#original.write.call(this.#response, bytes.subarray(offset - take, offset), offset >= bytes.length ? callback : undefined) as boolean;
      if (this.#sinceCheck < this.#chunkBytes) continue;
      this.#sinceCheck = 0;
      if (this.revokedNow()) {
        if (offset < bytes.length && callback !== undefined) process.nextTick(callback);
        return false;
      }
    }
    return result;
  }

  writeHead(statusCode: number, rest: unknown[]): ServerResponse {
    const response = this.#response;
    if (this.cut) return response;
    const headers = rest.find((argument) => typeof argument === 'object' && argument !== null) as OutgoingHttpHeaders | undefined;
    if (!this.#ending && canCarryTrailer(response, statusCode, headers)) {
      response.setHeader('Trailer', REVOKED_TRAILER);
      this.#trailerDeclared = true;
    }
    return this.#original.writeHead.call(response, statusCode, ...rest) as ServerResponse;
  }

  write(chunk: unknown, encoding: BufferEncoding | undefined, callback: WriteCallback | undefined): boolean {
    if (this.cut) {
      if (callback !== undefined) process.nextTick(callback);
      return false;
    }
    this.#streaming = true;
    return this.writeChecked(chunk, encoding, callback);
  }

  end(chunk: unknown, encoding: BufferEncoding | undefined, callback: (() => void) | undefined): ServerResponse {
    const response = this.#response;
    let body = chunk;
    // A body sent in one piece is checked once; a streamed one goes through the 4 KiB checks.
    if (!this.cut && !this.#streaming && !response.headersSent) this.revokedNow();
    if (!this.cut && this.#streaming && body !== undefined && body !== null) {
      this.writeChecked(body, encoding, undefined);
      body = undefined;
    }
    if (this.cut) {
      if (callback !== undefined) process.nextTick(callback);
      return response;
    }
    this.#ending = true;
    try {
      return this.#original.end.call(response, body, encoding, callback) as ServerResponse;
    } finally {
      this.#ending = false;
    }
  }
}

/**
 * Enforces revocation while a node:http response is being written
 * (docs/decisions/2026-12-04-revocation-model.md): the store is
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
  const guard = new GuardedResponse(response, options);
  response.writeHead = function guardedWriteHead(statusCode: number, ...rest: unknown[]): ServerResponse {
    return guard.writeHead(statusCode, rest);
  } as typeof response.writeHead;
  response.write = function guardedWrite(chunk: unknown, encodingOrCallback?: BufferEncoding | WriteCallback, maybeCallback?: WriteCallback): boolean {
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    return guard.write(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined, callback);
  } as typeof response.write;
  response.end = function guardedEnd(chunk?: unknown, encodingOrCallback?: BufferEncoding | (() => void), maybeCallback?: () => void): ServerResponse {
    if (typeof chunk === 'function') return guard.end(undefined, undefined, chunk as () => void);
    const callback = typeof encodingOrCallback === 'function' ? encodingOrCallback : maybeCallback;
    return guard.end(chunk, typeof encodingOrCallback === 'string' ? encodingOrCallback : undefined, callback);
  } as typeof response.end;
  return {
    signal: guard.abort.signal,
    get revoked() {
      return guard.cut;
    },
    release: guard.release,
  };
}
