import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { current } from '@caracal/sdk';
import { mcpAuthInfo, verifyFetch } from '@caracal/sdk/verify';
import { CALLER_SESSION, startMandateIssuer, ZONE, type MandateIssuer } from './helpers/mandate-issuer.ts';
import { serveFetch } from './helpers/serve-fetch.ts';

const RESOURCE = 'mcp://tools-v2.verify.e2e';

let issuer: MandateIssuer;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  issuer = await startMandateIssuer();
  const verifier = issuer.verifier(RESOURCE, { requiredScopes: ['tools:call'] });
  const handle = verifyFetch(async (request, verified) => {
    // Stateless: one server and transport per request, as the v2 examples do on web runtimes.
    const mcp = new McpServer({ name: 'verify-e2e-tools-v2', version: '2.0.0' });
    mcp.registerTool('whoami', { description: 'Reports the verified caller.' }, async (context) => {
      await Promise.resolve();
      const report = { context: current(), clientId: context.http?.authInfo?.clientId };
      return { content: [{ type: 'text', text: JSON.stringify(report) }] };
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await mcp.connect(transport);
    return transport.handleRequest(request, { authInfo: mcpAuthInfo(verified) });
  }, { verifier });
  server = await serveFetch(handle);
});

afterAll(async () => {
  await server.close();
  await issuer.close();
});

describe('MCP v2 (@modelcontextprotocol/server, web-standard transport) behind verifyFetch', () => {
  it('the tool handler sees the verified caller context and ctx.http.authInfo', async () => {
    const client = new Client({ name: 'verify-e2e-agent-v2', version: '2.0.0' });
    const fetchWithMandates: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${await issuer.mint(RESOURCE)}`);
      return fetch(input, { ...init, headers });
    };
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { fetch: fetchWithMandates }));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();
    const report = JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as { context: Record<string, unknown>; clientId: string };
    expect(report.context).toMatchObject({ zoneId: ZONE, clientId: 'app_e2e_caller', agentSessionId: CALLER_SESSION, hop: 2 });
    expect(report.clientId).toBe('app_e2e_caller');
  });

  it('refuses a client without a mandate', async () => {
    const client = new Client({ name: 'verify-e2e-anonymous-v2', version: '2.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)))).rejects.toThrow();
  });
});
