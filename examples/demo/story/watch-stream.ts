import { request as httpRequest } from 'node:http';
import type { Caracal } from '@caracal/sdk';

/** A streamed response being read: resolves `firstChunk` on the first bytes, `done` at the end. */
export interface WatchedStream {
  readonly firstChunk: Promise<void>;
  readonly done: Promise<{ bytes: number; revokedTrailer: string | undefined; complete: boolean }>;
}

/**
 * Opens `GET url` with a per-call mandate for `resource` and the current context's trace headers
 * (never the session mandate), and reads it to the end, keeping the `X-Caracal-Revoked` trailer.
 */
export async function watchStream(caracal: Caracal, url: string, resource: string): Promise<WatchedStream> {
  const mandate = await caracal.exchange({ resource, scopes: ['agents:message'] });
  const headers = { ...caracal.headers(), authorization: `Bearer ${mandate.accessToken}` };
  let chunkSeen: () => void = () => undefined;
  const firstChunk = new Promise<void>((resolve) => (chunkSeen = resolve));
  const done = new Promise<{ bytes: number; revokedTrailer: string | undefined; complete: boolean }>((resolve, reject) => {
    const outgoing = httpRequest(url, { headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        chunkSeen();
      });
      response.on('end', () => resolve({ bytes, revokedTrailer: response.trailers['x-caracal-revoked'], complete: response.complete }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
  return { firstChunk, done };
}
