import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly trailers: NodeJS.Dict<string>;
  /** False when the connection closed before the body completed. */
  readonly complete: boolean;
}

/**
 * A plain node:http client that reads the whole body and the trailers (fetch cannot see trailers).
 * `onData` sees each chunk as it arrives, so a test can act mid-stream.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; onData?: (chunk: Buffer, received: number) => void } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        options.onData?.(chunk, received);
      });
      const finish = (): void =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), trailers: response.trailers, complete: response.complete });
      response.on('end', finish);
      response.on('error', finish);
      response.on('aborted', finish);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
