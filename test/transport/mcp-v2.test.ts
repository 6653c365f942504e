import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { bind, Caracal } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { parseTraceparent } from '@caracal/sdk/propagation';
import { agentContext, SESSION_TOKEN, TRACE_ID } from './helpers/contexts.ts';
import { startMcpV1Server, type McpTestServer } from './helpers/mcp-v1-server.ts';
import { startStsStandIn, type StsStandIn } from './helpers/sts-stand-in.ts';

const RESOURCE = 'mcp://tools-v2.e2e';

let sts: StsStandIn;
let server: McpTestServer;
let caracal: Caracal;

beforeAll(async () => {
  sts = await startStsStandIn({ sessionToken: SESSION_TOKEN });
  server = await startMcpV1Server({ sts, resource: RESOURCE });
  caracal = new Caracal({ coordinatorUrl: sts.url, zoneId: 'zone_e2e', clientId: 'app_orchestrator', subjectToken: SESSION_TOKEN });
});

afterAll(async () => {
  await server.close();
  await caracal.close();
  await sts.close();
});

describe('MCP v2 client (@modelcontextprotocol/client) with createMcpFetch', () => {
  it('uses the fetch option of the v2 StreamableHTTPClientTransport: fresh mandate per tools/call, trace in headers and _meta', async () => {
    const client = new Client({ name: 'e2e-agent-v2', version: '2.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      fetch: createMcpFetch({ caracal, resource: RESOURCE, scopes: ['tools:call'] }),
    });
    await bind(agentContext, async () => {
      await client.connect(transport);
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.close();
    });
    expect(server.toolCalls).toHaveLength(2);
    const tokens = server.toolCalls.map((call) => String(call.authorization).replace(/^Bearer /, ''));
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect((await sts.verify(token, RESOURCE)).aud).toBe(RESOURCE);
    for (const request of server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(SESSION_TOKEN);
      expect(parseTraceparent(String(request.headers.traceparent))?.traceId).toBe(TRACE_ID);
    }
    for (const call of server.toolCalls) expect(parseTraceparent(String(call.meta?.traceparent))?.traceId).toBe(TRACE_ID);
  });
});
