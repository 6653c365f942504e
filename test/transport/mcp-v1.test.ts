import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isCaracalError, type CaracalContext } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { parseTraceparent } from '@caracal/sdk/propagation';
import { startMcpV1Server } from './helpers/mcp-v1-server.ts';
import { useProtectedServer } from './helpers/protected-server.ts';

const RESOURCE = 'mcp://tools.e2e';

const running = useProtectedServer(RESOURCE, startMcpV1Server);

function bearer(value: unknown): string {
  return String(value).replace(/^Bearer /, '');
}

describe('MCP v1 client (StreamableHTTPClientTransport) with createMcpFetch, against the real STS', () => {
  it('calls tools on a protected v1 server, each call with its own mandate for the server and trace in headers and _meta', async () => {
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(running.server.url), {
      fetch: createMcpFetch({ caracal: running.stack.caracal, resource: RESOURCE, scopes: ['tools:call'] }),
    });
    let agent: CaracalContext | undefined;
    const results = await running.stack.asAgent(async (context) => {
      agent = context;
      await client.connect(transport);
      const calls = [];
      for (let index = 0; index < 3; index++) calls.push(await client.callTool({ name: 'whoami', arguments: {} }));
      await transport.terminateSession();
      await client.close();
      return calls;
    });
    expect(results.map((result) => (result.content as Array<{ text: string }>)[0]?.text)).toEqual(['call 1', 'call 2', 'call 3']);

    const tokens = running.server.toolCalls.map((call) => bearer(call.authorization));
    const claims = await Promise.all(tokens.map((token) => running.stack.inspect(token, RESOURCE)));
    expect(new Set(claims.map((claim) => claim.jti)).size).toBe(3);
    for (const claim of claims) {
      expect(claim).toMatchObject({ aud: RESOURCE, scope: 'tools:call', use: 'call', agent_session_id: agent?.agentSessionId });
    }
    const traceId = agent?.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const request of running.server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(running.stack.sessionToken);
      expect(parseTraceparent(String(request.headers.traceparent))?.traceId).toBe(traceId);
      expect(request.headers.baggage).toContain(`caracal.agent_session=${agent?.agentSessionId}`);
    }
    for (const call of running.server.toolCalls) expect(parseTraceparent(String(call.meta?.traceparent))?.traceId).toBe(traceId);
    // Every request (initialize, notifications, the SSE GET, the DELETE) has a mandate of its own:
    // the server's verifier accepts each one only once.
    const methods = running.server.requests.map((request) => (request.body as { method?: string } | undefined)?.method ?? request.method);
    expect(methods).toEqual(expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/call', 'DELETE']));
    const presented = running.server.requests.map((request) => bearer(request.headers.authorization));
    expect(new Set(presented).size).toBe(presented.length);
  });

  it("shows why a fresh mandate per request is the default: a reused mandate is refused by the one-shot verifier", async () => {
    const before = running.server.requests.length;
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(running.server.url), {
      fetch: createMcpFetch({ caracal: running.stack.caracal, resource: RESOURCE, otherRequests: 'reuse' }),
    });
    const error: unknown = await running.stack.asAgent(() => client.connect(transport)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    // initialize got through; notifications/initialized presented the same mandate and was refused.
    const presented = running.server.requests.slice(before).map((request) => bearer(request.headers.authorization));
    expect(presented.length).toBeGreaterThanOrEqual(2);
    expect(presented[1]).toBe(presented[0]);
    await client.close();
  });

  it('fails closed when the client connects outside a context', async () => {
    const before = running.server.requests.length;
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(running.server.url), { fetch: createMcpFetch({ caracal: running.stack.caracal, resource: RESOURCE }) });
    const error: unknown = await client.connect(transport).catch((caught: unknown) => caught);
    const codes = [error, (error as { cause?: unknown } | undefined)?.cause].map((candidate) => (isCaracalError(candidate) ? candidate.code : undefined));
    expect(codes).toContain('NO_ACTIVE_CONTEXT');
    expect(running.server.requests.length).toBe(before);
    await client.close();
  });

  it('does not reach the server when the STS refuses the resource', async () => {
    const before = running.server.requests.length;
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(running.server.url), { fetch: createMcpFetch({ caracal: running.stack.caracal, resource: 'mcp://not-bootstrapped.e2e' }) });
    const error: unknown = await running.stack.asAgent(() => client.connect(transport)).catch((caught: unknown) => caught);
    const codes = [error, (error as { cause?: unknown } | undefined)?.cause].map((candidate) => (isCaracalError(candidate) ? candidate.code : undefined));
    expect(codes).toContain('TOKEN_EXCHANGE_FAILED');
    expect(running.server.requests.length).toBe(before);
    await client.close();
  });
});
