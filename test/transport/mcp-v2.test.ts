import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { parseTraceparent } from '@caracal/sdk/propagation';
import { startCaracalStack, type CaracalStack } from './helpers/caracal-server.ts';
import { startMcpV1Server, type McpTestServer } from './helpers/mcp-v1-server.ts';

const RESOURCE = 'mcp://tools-v2.e2e';

let stack: CaracalStack;
let server: McpTestServer;

beforeAll(async () => {
  stack = await startCaracalStack([RESOURCE]);
  server = await startMcpV1Server({ verify: stack.protect(RESOURCE), resource: RESOURCE });
});

afterAll(async () => {
  await server.close();
  await stack.close();
});

describe('MCP v2 client (@modelcontextprotocol/client) with createMcpFetch, against the real STS', () => {
  it('uses the fetch option of the v2 StreamableHTTPClientTransport: fresh mandate per tools/call, trace in headers and _meta', async () => {
    const client = new Client({ name: 'e2e-agent-v2', version: '2.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      fetch: createMcpFetch({ caracal: stack.caracal, resource: RESOURCE, scopes: ['tools:call'] }),
    });
    await stack.asAgent(async () => {
      await client.connect(transport);
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.close();
    });
    expect(server.toolCalls).toHaveLength(2);
    const claims = await Promise.all(server.toolCalls.map((call) => stack.inspect(String(call.authorization).replace(/^Bearer /, ''), RESOURCE)));
    expect(new Set(claims.map((claim) => claim.jti)).size).toBe(2);
    for (const claim of claims) expect(claim.aud).toBe(RESOURCE);
    const traceId = parseTraceparent(String(server.requests[0]?.headers.traceparent))?.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const request of server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(stack.sessionToken);
      expect(parseTraceparent(String(request.headers.traceparent))?.traceId).toBe(traceId);
    }
    for (const call of server.toolCalls) expect(parseTraceparent(String(call.meta?.traceparent))?.traceId).toBe(traceId);
  });
});
