import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { current } from '@caracal/sdk';
import { verifyExpress, verifyNodeMiddleware, type Verifier } from '@caracal/sdk/verify';
import { CALLER_SESSION, startMandateIssuer, ZONE, type MandateIssuer } from './helpers/mandate-issuer.ts';

const RESOURCE = 'mcp://tools.verify.e2e';

let issuer: MandateIssuer;
let verifier: Verifier;

beforeAll(async () => {
  issuer = await startMandateIssuer();
  verifier = issuer.verifier(RESOURCE, { requiredScopes: ['tools:call'] });
});

afterAll(async () => {
  await issuer.close();
});

/** An MCP server whose tool reports the ambient Caracal context and the authInfo MCP hands it. */
function toolsServer(): McpServer {
  const mcp = new McpServer({ name: 'verify-e2e-tools', version: '1.0.0' });
  mcp.registerTool('whoami', { description: 'Reports the verified caller.' }, async (extra) => {
    await Promise.resolve();
    const report = { context: current(), authInfo: { clientId: extra.authInfo?.clientId, scopes: extra.authInfo?.scopes, expiresAt: extra.authInfo?.expiresAt } };
    return { content: [{ type: 'text', text: JSON.stringify(report) }] };
  });
  return mcp;
}

/** Each HTTP request of the client carries a fresh one-shot mandate, as createMcpFetch does. */
const mintingFetch =
  (claims: Record<string, unknown> = {}): typeof fetch =>
  async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${await issuer.mint(RESOURCE, claims)}`);
    headers.set('baggage', 'caracal.agent_session=agentsess_forged,caracal.hop=0');
    return fetch(input, { ...init, headers });
  };

async function callWhoami(url: string, claims?: Record<string, unknown>): Promise<{ context: Record<string, unknown>; authInfo: Record<string, unknown> }> {
  const client = new Client({ name: 'verify-e2e-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: mintingFetch(claims) }));
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  await client.close();
  return JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as { context: Record<string, unknown>; authInfo: Record<string, unknown> };
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('MCP v1 (McpServer + StreamableHTTPServerTransport) behind Caracal', () => {
  it('Express: the tool handler sees the verified caller context and extra.authInfo', async () => {
    const sessions = new Map<string, StreamableHTTPServerTransport>();
    const app = express();
    app.use('/mcp', verifyExpress({ verifier }), express.json());
    app.all('/mcp', async (request, response) => {
      const sessionId = request.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (transport === undefined) {
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
        await toolsServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, request.body);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    try {
      const report = await callWhoami(url);
      expect(report.context).toMatchObject({ zoneId: ZONE, clientId: 'app_e2e_caller', agentSessionId: CALLER_SESSION, delegationEdgeId: 'deledge_e2e_leaf', hop: 2 });
      expect(String(report.context.subjectToken)).toMatch(/^ey/);
      expect(report.authInfo).toMatchObject({ clientId: 'app_e2e_caller', scopes: ['tools:call', 'agents:message'] });
      expect(report.authInfo.expiresAt).toBeGreaterThan(Date.now() / 1000);
    } finally {
      for (const transport of sessions.values()) await transport.close();
      await stop(server);
    }
  });

  it('node:http: wrapping transport.handleRequest with verifyNodeMiddleware (stateless)', async () => {
    const caracal = verifyNodeMiddleware({ verifier });
    const server = createServer((request: IncomingMessage, response) => {
      void caracal(request, response, async () => {
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        await toolsServer().connect(transport);
        response.on('close', () => void transport.close());
        await transport.handleRequest(request, response);
      });
    });
    const url = await listening(server);
    try {
      const report = await callWhoami(url, { agent_session_id: 'agentsess_e2e_other' });
      expect(report.context).toMatchObject({ agentSessionId: 'agentsess_e2e_other', clientId: 'app_e2e_caller' });
      expect(report.authInfo.clientId).toBe('app_e2e_caller');
    } finally {
      await stop(server);
    }
  });

  it('a client without a valid mandate never reaches the MCP server', async () => {
    const caracal = verifyNodeMiddleware({ verifier });
    let reached = 0;
    const server = createServer((request, response) => void caracal(request, response, () => void reached++));
    const url = await listening(server);
    try {
      const client = new Client({ name: 'verify-e2e-stranger', version: '1.0.0' });
      await expect(client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: mintingFetch({ scope: 'tools:list' }) }))).rejects.toThrow();
      const anonymous = new Client({ name: 'verify-e2e-anonymous', version: '1.0.0' });
      await expect(anonymous.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toThrow();
      expect(reached).toBe(0);
    } finally {
      await stop(server);
    }
  });
});
