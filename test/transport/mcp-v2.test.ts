import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { parseTraceparent } from '@caracal/sdk/propagation';
import { startMcpV1Server } from './helpers/mcp-v1-server.ts';
import { useProtectedServer } from './helpers/protected-server.ts';

const RESOURCE = 'mcp://tools-v2.e2e';

const running = useProtectedServer(RESOURCE, startMcpV1Server);

describe('MCP v2 client (@modelcontextprotocol/client) with createMcpFetch, against the real STS', () => {
  it('uses the fetch option of the v2 StreamableHTTPClientTransport: fresh mandate per tools/call, trace in headers and _meta', async () => {
    const client = new Client({ name: 'e2e-agent-v2', version: '2.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(running.server.url), {
      fetch: createMcpFetch({ caracal: running.stack.caracal, resource: RESOURCE, scopes: ['tools:call'] }),
    });
    await running.stack.asAgent(async () => {
      await client.connect(transport);
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.close();
    });
    expect(running.server.toolCalls).toHaveLength(2);
    const claims = await Promise.all(running.server.toolCalls.map((call) => running.stack.inspect(String(call.authorization).replace(/^Bearer /, ''), RESOURCE)));
    expect(new Set(claims.map((claim) => claim.jti)).size).toBe(2);
    for (const claim of claims) expect(claim.aud).toBe(RESOURCE);
    const traceId = parseTraceparent(String(running.server.requests[0]?.headers.traceparent))?.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const request of running.server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(running.stack.sessionToken);
      expect(parseTraceparent(String(request.headers.traceparent))?.traceId).toBe(traceId);
    }
    for (const call of running.server.toolCalls) expect(parseTraceparent(String(call.meta?.traceparent))?.traceId).toBe(traceId);
  });
});
