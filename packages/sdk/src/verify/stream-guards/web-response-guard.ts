import { CaracalError } from '../../errors.ts';
import type { ResponseGuardOptions } from './response-guard.ts';
import { REVOCATION_CHECK_BYTES } from './response-guard.ts';

/** The last event of a cut event stream: it names the revoked id, so a client can tell the cut from an end. */
function revokedEvent(revokedId: string): Uint8Array {
  const data = JSON.stringify({ error: 'invalid_token', error_description: 'the mandate was revoked', revoked: revokedId });
  return new TextEncoder().encode(`event: caracal.revoked\ndata: ${data}\n\n`);
}

function isEventStream(response: Response): boolean {
  return /^\s*text\/event-stream\b/i.test(response.headers.get('content-type') ?? '');
}

/**
 * The web-standard (`Response`) counterpart of `guardResponse`: the body is re-checked each time
 * another 4 KiB has passed, and cut at once when a matching revocation is pushed. A web
 * `Response` cannot carry trailers. A cut body ends early and cleanly, never with a stream
 * error: a host that pipes the body naively (`Readable.fromWeb(body).pipe(res)`, no 'error'
 * listener) would be taken down by one. An event stream (`text/event-stream`) ends with a last
 * `event: caracal.revoked` whose data names the revoked id; any other body is simply incomplete.
 * The handler's own stream is cancelled with the `MANDATE_REVOKED` error as its reason.
 * @example
 * const handle = async (request: Request) => guardWebResponse(await transport.handleRequest(request), { store, query });
 * @since 0.1.0
 */
export function guardWebResponse(response: Response, options: ResponseGuardOptions): Response {
  const source = response.body;
  if (source === null) return response;
  const { store, query } = options;
  const chunkBytes = options.chunkBytes ?? REVOCATION_CHECK_BYTES;
  const reader = source.getReader();
  let sinceCheck = 0;
  let finished = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const eventStream = isEventStream(response);

  const finish = (revokedId?: string): void => {
    if (finished) return;
    finished = true;
    unsubscribe();
    if (revokedId !== undefined) {
      const error = new CaracalError('MANDATE_REVOKED', `The mandate was revoked (${revokedId}) while the response was being sent.`, { status: 401, serverCode: 'revoked' });
      reader.cancel(error).catch(() => undefined);
      if (eventStream) controller.enqueue(revokedEvent(revokedId));
    }
    // Closed, never errored: see the function's comment.
    controller.close();
  };
  const cutIfRevoked = (): boolean => {
    const revokedId = store.findRevoked(query);
    if (revokedId !== undefined) finish(revokedId);
    return finished;
  };
  const unsubscribe = store.onRevoked(() => cutIfRevoked());

  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    async pull() {
      const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (finished) return;
      if (done) return finish();
      sinceCheck += value.byteLength;
      if (sinceCheck >= chunkBytes) {
        sinceCheck %= chunkBytes;
        if (cutIfRevoked()) return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      finished = true;
      unsubscribe();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
