import { CaracalError } from '../../errors.ts';
import type { ResponseGuardOptions } from './response-guard.ts';
import { REVOCATION_CHECK_BYTES } from './response-guard.ts';

/**
 * The web-standard (`Response`) counterpart of `guardResponse`: the body is re-checked each time
 * another 4 KiB has passed, and cut at once when a matching revocation is pushed. A web
 * `Response` cannot carry trailers, so a cut body ends in a stream error (the client sees an
 * aborted body) rather than with `X-Caracal-Revoked`.
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

  const finish = (error?: CaracalError): void => {
    if (finished) return;
    finished = true;
    unsubscribe();
    if (error === undefined) controller.close();
    else {
      controller.error(error);
      reader.cancel(error).catch(() => undefined);
    }
  };
  const cutIfRevoked = (): boolean => {
    const revokedId = store.findRevoked(query);
    if (revokedId !== undefined) finish(new CaracalError('MANDATE_REVOKED', `The mandate was revoked (${revokedId}) while the response was being sent.`, { status: 401, serverCode: 'revoked' }));
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
