/**
 * A TypeScript stand-in for the W3C trace-context test harness (github.com/w3c/trace-context,
 * `test/`): its Python harness needs aiohttp from PyPI, which CI cannot install, so the same
 * exchange runs here between real HTTP servers on port 0.
 *
 * The harness POSTs `[{ url, arguments }]` with the case's headers to the service under test; the
 * service calls each `url` back; the harness reads `traceparent`/`tracestate` off the callbacks.
 * The service's propagation is only `extract` and `inject` from `@caracal/sdk/propagation`.
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaracalContext } from '../../src/model/caracal-context.ts';
import { extract, inject, newTraceId } from '../../src/propagation/index.ts';

/** One request header as the harness sends it: name spelled as given, value verbatim. */
export type HeaderPair = readonly [name: string, value: string];

interface Callback {
  readonly url: string;
  readonly arguments: readonly Callback[];
}

/** The headers one callback from the service carried, in order, names as sent. */
export interface CallbackHeaders {
  readonly pairs: readonly HeaderPair[];
}

function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    message.setEncoding('utf8');
    message.on('data', (chunk: string) => (body += chunk));
    message.on('end', () => resolve(body));
    message.on('error', reject);
  });
}

/** POSTs `body` with `headers` (a flat raw-header list, so names repeat and keep their case). */
function post(url: string, headers: readonly string[] | Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: headers as string[] }, (response) => {
      readBody(response).then((text) => resolve({ status: response.statusCode ?? 0, body: text }), reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * The service under test: the context it acts in is rebuilt from the incoming headers by
 * `extract` (a new trace when there is no valid `traceparent`), and every callback carries the
 * headers `inject` writes for it.
 */
function serviceHandler(): Parameters<typeof createServer>[1] {
  return (incoming, response) => {
    void (async () => {
      const callbacks = JSON.parse(await readBody(incoming)) as Callback[];
      const lineage = extract(incoming.headers);
      const context: CaracalContext = {
        subjectToken: 'unused-by-propagation',
        zoneId: 'zone_w3c',
        clientId: 'app_w3c',
        hop: 0,
        traceId: lineage?.traceId ?? newTraceId(),
        ...(lineage === null ? {} : { traceFlags: lineage.traceFlags }),
        ...(lineage?.traceState === undefined ? {} : { traceState: lineage.traceState }),
      };
      for (const callback of callbacks) {
        await post(callback.url, inject(context, { 'content-type': 'application/json' }), JSON.stringify(callback.arguments));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  };
}

/** The harness and the service, both listening; `close()` stops both. */
export class W3cHarness {
  readonly #callbacks = new Map<string, CallbackHeaders>();
  #harness: Server | undefined;
  #service: Server | undefined;
  #harnessUrl = '';
  #serviceUrl = '';
  #nextScope = 0;

  async start(): Promise<void> {
    this.#harness = createServer((incoming, response) => {
      void readBody(incoming).then(() => {
        const pairs: HeaderPair[] = [];
        for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
          pairs.push([incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!]);
        }
        this.#callbacks.set(incoming.url ?? '', { pairs });
        response.writeHead(200).end();
      });
    });
    this.#service = createServer(serviceHandler());
    this.#harnessUrl = await listen(this.#harness);
    this.#serviceUrl = await listen(this.#service);
  }

  async close(): Promise<void> {
    await Promise.all([this.#harness, this.#service].filter((server) => server !== undefined).map(close));
  }

  /**
   * Sends `headers` to the service and asks for `count` callbacks; resolves with the headers of
   * each callback once the service has answered (it answers after its callbacks complete).
   */
  async makeRequest(headers: readonly HeaderPair[], count = 1): Promise<CallbackHeaders[]> {
    const scope = `/scope/${this.#nextScope++}`;
    const callbacks: Callback[] = Array.from({ length: count }, (_, index) => ({ url: `${this.#harnessUrl}${scope}/${index}`, arguments: [] }));
    const raw = headers.flatMap(([name, value]) => [name, value]);
    // A raw header list gets no automatic Host header from node:http.
    const host = new URL(this.#serviceUrl).host;
    const answer = await post(this.#serviceUrl, ['host', host, ...raw, 'content-type', 'application/json'], JSON.stringify(callbacks));
    if (answer.status !== 200) throw new Error(`the service answered ${answer.status}: ${answer.body}`);
    return callbacks.map((_, index) => {
      const seen = this.#callbacks.get(`${scope}/${index}`);
      if (seen === undefined) throw new Error(`the service made no callback ${index}`);
      return seen;
    });
  }
}
