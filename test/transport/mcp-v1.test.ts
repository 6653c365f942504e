import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bind, Caracal, isCaracalError } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { parseTraceparent } from '@caracal/sdk/propagation';
import { agentContext, SESSION_TOKEN, TRACE_ID } from './helpers/contexts.ts';
import { startMcpV1Server, type McpTestServer } from './helpers/mcp-v1-server.ts';
import { startStsStandIn, type StsStandIn } from './helpers/sts-stand-in.ts';

const RESOURCE = 'mcp://tools.e2e';

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

function bearer(value: unknown): string {
  return String(value).replace(/^Bearer /, '');
}

describe('MCP v1 client (StreamableHTTPClientTransport) with createMcpFetch', () => {
  it('calls tools on a protected v1 server, each call with its own mandate for the server and trace in headers and _meta', async () => {
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      fetch: createMcpFetch({ caracal, resource: RESOURCE, scopes: ['tools:call'] }),
    });
    const results = await bind(agentContext, async () => {
      await client.connect(transport);
      const calls = [];
      for (let index = 0; index < 3; index++) calls.push(await client.callTool({ name: 'whoami', arguments: {} }));
      await transport.terminateSession();
      await client.close();
      return calls;
    });
    expect(results.map((result) => (result.content as Array<{ text: string }>)[0]?.text)).toEqual(['call 1', 'call 2', 'call 3']);

    const tokens = server.toolCalls.map((call) => bearer(call.authorization));
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) {
      const claims = await sts.verify(token, RESOURCE);
      expect(claims).toMatchObject({ aud: RESOURCE, scope: 'tools:call', agent_session_id: 'agentsess_e2e', delegation_edge_id: 'deledge_e2e' });
    }
    for (const request of server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(SESSION_TOKEN);
      expect(parseTraceparent(String(request.headers.traceparent))?.traceId).toBe(TRACE_ID);
      expect(request.headers.baggage).toContain('caracal.agent_session=agentsess_e2e');
    }
    for (const call of server.toolCalls) {
      expect(parseTraceparent(String(call.meta?.traceparent))?.traceId).toBe(TRACE_ID);
      expect(call.meta?.baggage).toContain('caracal.delegation_edge=deledge_e2e');
    }
    // initialize, notifications/initialized, the SSE GET and the DELETE share one mandate; three fresh ones for the calls.
    const methods = server.requests.map((request) => (request.body as { method?: string } | undefined)?.method ?? request.method);
    expect(methods).toEqual(expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/call', 'DELETE']));
    expect(sts.exchanges.filter((form) => form.resource === RESOURCE)).toHaveLength(4);
  });

  it('fails closed when the client connects outside a context', async () => {
    const before = server.requests.length;
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { fetch: createMcpFetch({ caracal, resource: RESOURCE }) });
    const error: unknown = await client.connect(transport).catch((caught: unknown) => caught);
    const codes = [error, (error as { cause?: unknown } | undefined)?.cause].map((candidate) => (isCaracalError(candidate) ? candidate.code : undefined));
    expect(codes).toContain('NO_ACTIVE_CONTEXT');
    expect(server.requests.length).toBe(before);
    await client.close();
  });
});
