/**
 * MCP over stdio has no HTTP request to span: each message `traceMcpTransport` sends gets a
 * `caracal.mcp.send` span, and the `traceparent` in its `params._meta` names that exported span.
 */
import { describe, expect, it } from 'vitest';
import { bind, type CaracalContext } from '../../src/index.ts';
import { parseTraceparent } from '../../src/propagation/index.ts';
import { traceMcpTransport } from '../../src/transport/mcp/index.ts';
import { useOtel3Line } from './support/otel3-line.ts';

const context: CaracalContext = { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', agentSessionId: 'agentsess_1', hop: 0 };

describe('traceMcpTransport with an OpenTelemetry SDK', () => {
  const line = useOtel3Line();

  it('names an exported caracal.mcp.send span in params._meta, and leaves responses alone', async () => {
    const sent: Array<{ params?: { _meta?: Record<string, string> } }> = [];
    const transport = traceMcpTransport({
      send(message: never): Promise<void> {
        sent.push(message);
        return Promise.resolve();
      },
    });
    const response = { jsonrpc: '2.0', id: 7, result: {} };
    await bind(context, async () => {
      await transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } } as never);
      await transport.send(response as never);
    });
    const traceparent = parseTraceparent(sent[0]!.params!._meta!.traceparent!);
    const spans = line().spans();
    const named = spans.find((span) => span.spanContext().spanId === traceparent?.spanId);
    expect(named?.name).toBe('caracal.mcp.send');
    expect(named?.spanContext().traceId).toBe(traceparent?.traceId);
    expect(sent[1]).toBe(response);
    expect(spans).toHaveLength(1);
  });
});
