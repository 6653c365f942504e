/**
 * "OpenTelemetry stays one trace", run against a real OpenTelemetry SDK line with its undici and
 * http instrumentations in every on/off combination, with the SDK's W3C propagator alone and
 * composed with `CaracalPropagator`. A spawn, a delegate and one MCP and one A2A request go to a
 * real receiver on port 0; the receiver's headers are then checked against the exported spans.
 */
import { createRequire } from 'node:module';
import type * as NodeHttp from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { current } from '../../../src/index.ts';
import { createA2AFetch } from '../../../src/transport/a2a/index.ts';
import { createMcpFetch } from '../../../src/transport/mcp/index.ts';
import { CaracalPropagator, extract, parseTraceparent } from '../../../src/propagation/index.ts';
import type { CaracalLineage } from '../../../src/propagation/index.ts';
import { startFakeCaracalServer, type FakeCaracalServer } from '../../support/fake-caracal-server.ts';
import { testClient } from '../../support/test-client.ts';
import type { ExportedSpan, Instrumentations, OtelLine } from './otel-line.ts';

interface Received {
  readonly path: string;
  /** Every `traceparent` value as it arrived, one per header line. */
  readonly traceparents: string[];
  readonly lineage: CaracalLineage | null;
}

/** A receiver that records what each request carried; built after the instrumentations switch, as an app would be. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  // Through require, as a CommonJS app loads it, so the http instrumentation's hook sees it.
  const http = createRequire(import.meta.url)('node:http') as typeof NodeHttp;
  const received: Received[] = [];
  const server: Server = http.createServer((request: IncomingMessage, response) => {
    const traceparents: string[] = [];
    for (let index = 0; index < request.rawHeaders.length; index += 2) {
      if (request.rawHeaders[index]!.toLowerCase() === 'traceparent') traceparents.push(request.rawHeaders[index + 1]!);
    }
    received.push({ path: request.url ?? '', traceparents, lineage: extract(request.headers) });
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const COMBINATIONS: ReadonlyArray<Instrumentations & { readonly caracalPropagator: boolean }> = [false, true].flatMap((undici) =>
  [false, true].flatMap((http) => [false, true].map((caracalPropagator) => ({ undici, http, caracalPropagator }))),
);

const label = ({ undici, http, caracalPropagator }: (typeof COMBINATIONS)[number]): string =>
  `undici ${undici ? 'on' : 'off'}, http ${http ? 'on' : 'off'}, ${caracalPropagator ? 'W3C + Caracal propagators' : 'W3C propagator'}`;

/** The one-trace checks for one SDK line. */
export function describeOneTrace(lineName: string, startLine: () => OtelLine): void {
  describe(`OpenTelemetry ${lineName}: one trace`, () => {
    let line: OtelLine;
    let caracalServer: FakeCaracalServer;
    beforeAll(async () => {
      line = startLine();
      caracalServer = await startFakeCaracalServer();
    });
    afterAll(async () => {
      await caracalServer.close();
      await line.shutdown();
    });

    it.each(COMBINATIONS)('exactly one traceparent per request, naming an exported span ($undici $http $caracalPropagator)', async (combination) => {
      line.useInstrumentations(combination);
      line.usePropagator(combination.caracalPropagator ? new CaracalPropagator({ current }) : undefined);
      line.reset();
      const receiver = await startReceiver();
      const { caracal } = testClient(caracalServer);
      try {
        const mcpFetch = createMcpFetch({ caracal, resource: 'mcp://tools.test', scopes: ['tools:call'] });
        const a2aFetch = createA2AFetch({ caracal, resource: 'https://agent.test', retries: 0 });
        let workerSessionId = '';
        await caracal.spawn({ kind: 'ephemeral' }, async () => {
          await caracal.spawn({ grant: 'none' }, async (worker) => {
            workerSessionId = worker.agentSessionId!;
          });
          await caracal.delegate({ to: workerSessionId, scopes: ['tools:call'] }, async () => {
            const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: {} } });
            await (await mcpFetch(`${receiver.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: call })).text();
            await (await a2aFetch(`${receiver.url}/a2a`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text();
          });
        });
      } finally {
        await caracal.close();
        await receiver.close();
      }
      const what = label(combination);
      const spans: ExportedSpan[] = line.spans();
      const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
      const [spawnSpan] = spans.filter((span) => span.name === 'caracal.spawn' && span.parentSpanContext === undefined);
      // One header per request comes first: two of them is the defect a user met.
      expect(receiver.received.map(({ path }) => path)).toEqual(['/mcp', '/a2a']);
      for (const { path, traceparents } of receiver.received) expect(traceparents, `${what}: ${path}`).toHaveLength(1);
      expect(spawnSpan, what).toBeDefined();
      const traceId = spawnSpan!.spanContext().traceId;

      for (const { path, traceparents, lineage } of receiver.received) {
        const traceparent = parseTraceparent(traceparents[0]!);
        const named = byId.get(traceparent!.spanId);
        // The id on the wire is Caracal's client span for that request, exported, in the spawn's trace.
        expect(named?.name, `${what}: ${path}`).toBe(path === '/mcp' ? 'caracal.mcp.request' : 'caracal.a2a.request');
        expect(named?.kind).toBe(SpanKind.CLIENT);
        expect(traceparent!.traceId).toBe(traceId);
        // What the receiver's current() is built from: the same trace, and the delegation's edge.
        expect(lineage?.traceId, `${what}: ${path}`).toBe(traceId);
        expect(lineage?.hop).toBe(1);
      }

      const names = spans.map((span) => span.name);
      expect(names.filter((name) => name === 'caracal.spawn')).toHaveLength(2);
      expect(names.filter((name) => name === 'caracal.delegate')).toHaveLength(1);
      expect(names.filter((name) => name === 'caracal.exchange')).toHaveLength(2);
      for (const span of spans.filter((candidate) => candidate.name.startsWith('caracal.'))) {
        expect(span.spanContext().traceId, `${what}: ${span.name}`).toBe(traceId);
      }
      // No orphan parents: every exported span's parent was exported too.
      for (const span of spans) {
        if (span.parentSpanContext !== undefined) expect(byId.has(span.parentSpanContext.spanId), `${what}: parent of ${span.name}`).toBe(true);
      }
      // The instrumentations were live: undici records the Coordinator and STS calls, http the receiver's requests.
      const httpClientSpans = spans.filter((span) => span.kind === SpanKind.CLIENT && !span.name.startsWith('caracal.'));
      expect(httpClientSpans.length > 0, `${what}: undici spans`).toBe(combination.undici);
      const receiverSpans = spans.filter((span) => span.kind === SpanKind.SERVER && byId.get(span.parentSpanContext?.spanId ?? '')?.name.endsWith('.request') === true);
      expect(receiverSpans.length, `${what}: receiver server spans`).toBe(combination.http ? 2 : 0);
    });
  });
}
