import { createParser, type EventSourceParser } from 'eventsource-parser';

/**
 * Finding the outcome of MCP tool calls in the response body as the MCP client reads it (JSON,
 * or the SSE stream of a Streamable HTTP server), looking at most MAX_OUTCOME_READ_BYTES into
 * it. Total: a body it cannot make sense of yields outcomes that say so.
 * @internal
 */

/** What became of one JSON-RPC request: its `result`, its `error`, or why neither was seen. */
export type CallOutcome =
  | { readonly kind: 'result'; readonly result: unknown }
  | { readonly kind: 'error'; readonly code: unknown; readonly message: unknown }
  | { readonly kind: 'unknown'; readonly reason: string };

/** How far into a response the watcher looks for the outcomes. */
export const MAX_OUTCOME_READ_BYTES = 1024 * 1024;

const idKey = (id: unknown): string => JSON.stringify(id) ?? '';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Watches one response body for the responses to `ids`; each outcome is handed to `onOutcome` once. */
export class CallOutcomeWatcher {
  readonly #pending: Map<string, unknown>;
  readonly #onOutcome: (id: unknown, outcome: CallOutcome) => void;
  readonly #sse: EventSourceParser | undefined;
  readonly #decoder = new TextDecoder();
  #text = '';
  #read = 0;

  constructor(ids: readonly unknown[], contentType: string, onOutcome: (id: unknown, outcome: CallOutcome) => void) {
    this.#pending = new Map(ids.map((id) => [idKey(id), id]));
    this.#onOutcome = onOutcome;
    this.#sse = /text\/event-stream/i.test(contentType) ? createParser({ onEvent: (event) => this.#collect(parseJson(event.data)) }) : undefined;
  }

  /** Whether outcomes are still awaited. */
  get watching(): boolean {
    return this.#pending.size > 0;
  }

  /** Looks at the next chunk of the body. */
  feed(chunk: Uint8Array): void {
    if (!this.watching) return;
    this.#read += chunk.byteLength;
    const piece = this.#decoder.decode(chunk, { stream: true });
    if (this.#sse !== undefined) this.#sse.feed(piece);
    else this.#text += piece;
    if (this.watching && this.#read > MAX_OUTCOME_READ_BYTES) this.end(`the response is larger than ${MAX_OUTCOME_READ_BYTES} bytes`);
  }

  /** The body ended (or was given up on): whatever was not seen gets `reason`. */
  end(reason: string): void {
    if (this.#sse === undefined && this.#text !== '') this.#collect(parseJson(this.#text));
    this.#text = '';
    for (const [key, id] of this.#pending) {
      this.#pending.delete(key);
      this.#onOutcome(id, { kind: 'unknown', reason });
    }
  }

  #collect(message: unknown): void {
    for (const item of Array.isArray(message) ? message : [message]) {
      if (typeof item !== 'object' || item === null) continue;
      const { id, result, error } = item as { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } | null };
      const key = idKey(id);
      if (!this.#pending.has(key)) continue;
      let outcome: CallOutcome;
      if (error !== undefined && error !== null) outcome = { kind: 'error', code: error.code, message: error.message };
      else if (result !== undefined) outcome = { kind: 'result', result };
      else continue;
      const callId = this.#pending.get(key);
      this.#pending.delete(key);
      this.#onOutcome(callId, outcome);
    }
  }
}

/**
 * `response` with a body that passes every chunk to `watcher` before handing it on, so an
 * outcome is known before the MCP client sees it. Status and headers are the original's. A body
 * that ends, fails or is cancelled ends the watcher.
 */
export function watchResponse(response: Response, watcher: CallOutcomeWatcher): Response {
  const source = response.body;
  if (source === null) {
    watcher.end('the response has no body');
    return response;
  }
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        watcher.end('the response body failed');
        controller.error(error);
        return;
      }
      if (chunk.done) {
        watcher.end('the response carried no answer to this call');
        controller.close();
        return;
      }
      try {
        watcher.feed(chunk.value);
      } catch {
        watcher.end('the response could not be read');
      }
      controller.enqueue(chunk.value);
    },
    async cancel(reason) {
      watcher.end('the client stopped reading the response');
      await reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
