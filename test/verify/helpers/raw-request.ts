import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly trailers: NodeJS.Dict<string>;
}

/** A plain node:http client: it sees trailers, which fetch cannot. `onData` fires per chunk. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; onData?: (text: string) => void } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        options.onData?.(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, trailers: response.trailers }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
