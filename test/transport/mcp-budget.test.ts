import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { bind, Caracal, isCaracalError, type CaracalContext } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { createVerifier, mandateRefusalReason, verifyNodeMiddleware, type CaracalIncomingMessage, type Verifier } from '@caracal/sdk/verify';
import { startServer, type RunningServer } from '@caracal/server';
import { decodeJwt } from 'jose';
import { serverBackends } from '../verify/helpers/server-backends.ts';

const ZONE = 'zone_budget';
const APPLICATION = 'app_budget_agent';
const RESOURCE = 'mcp://tools.budget';

/** What the MCP server saw of one HTTP request that passed the verifier. */
interface Seen {
  readonly http: string;
  /** JSON-RPC methods of the body (empty for GET/DELETE and responses). */
  readonly methods: string[];
  readonly use: unknown;
}

interface ToolsServer {
  readonly url: string;
  readonly seen: Seen[];
  readonly toolCalls: number[];
  close(): Promise<void>;
}

/** A real MCP v1 server on node:http behind `verifyNodeMiddleware({ mcp: true })`, as docs/transports.md shows it. */
async function startToolsServer(verifier: Verifier): Promise<ToolsServer> {
  const seen: Seen[] = [];
  const toolCalls: number[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const guard = verifyNodeMiddleware({ verifier, requiredScopes: ['tools:call'], mcp: true });
  const server: Server = createServer((request, response) => {
    void guard(request, response, async () => {
      const verified = request as CaracalIncomingMessage & { body?: unknown };
      const messages = Array.isArray(verified.body) ? verified.body : verified.body === undefined ? [] : [verified.body];
      const methods = messages.map((message: { method?: unknown }) => message.method).filter((method): method is string => typeof method === 'string');
      seen.push({ http: request.method ?? '', methods, use: verified.caracal?.claims.use });
      const sessionId = request.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (transport === undefined) {
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
        const mcp = new McpServer({ name: 'budget-tools', version: '1.0.0' });
        mcp.registerTool('count', { description: 'Counts its calls.' }, async () => {
          toolCalls.push(toolCalls.length + 1);
          return { content: [{ type: 'text', text: `call ${toolCalls.length}` }] };
        });
        await mcp.connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, verified.body);
    }).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    toolCalls,
    async close() {
      for (const transport of sessions.values()) await transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let candidate = error; candidate !== undefined && candidate !== null; candidate = (candidate as { cause?: unknown }).cause) {
    if (isCaracalError(candidate)) codes.push(candidate.code);
    if (codes.length > 5) break;
  }
  return codes;
}

describe.each(serverBackends())('budget counts acting MCP requests only ($name)', (backend) => {
  let caracalServer: RunningServer;
  let caracal: Caracal;
  let verifier: Verifier;
  let tools: ToolsServer;

  beforeAll(async () => {
    const secret = randomUUID();
    caracalServer = await startServer({
      port: 0,
      logger: false,
      jobs: false,
      ...backend.serverOptions(),
      bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret, scopes: ['tools:call'] }], resources: [{ id: RESOURCE, scopes: ['tools:call'] }] }] },
    });
    caracal = new Caracal({ coordinatorUrl: caracalServer.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: secret });
    verifier = createVerifier({ issuer: caracalServer.url, zoneId: ZONE, audience: RESOURCE });
    tools = await startToolsServer(verifier);
  });

  afterAll(async () => {
    await tools.close();
    await verifier.close();
    await caracal.close();
    await caracalServer.close();
    await backend.cleanup();
  });

  /** Runs `fn` in a worker's context under a delegation edge with `budget`, as the user did. */
  function underBudget<R>(budget: number, fn: (delegated: CaracalContext) => Promise<R>): Promise<R> {
    return caracal.spawn({ kind: 'instance' }, (planner) =>
      caracal.spawn({ kind: 'ephemeral', grant: 'none' }, (worker) =>
        bind(planner, () =>
          caracal.delegate({ to: worker.agentSessionId!, scopes: ['tools:call'], ttlSeconds: 300, constraints: { budget } }, async (delegated) => {
            expect(delegated.delegationEdgeId).toBeDefined();
            return fn(delegated);
          }),
        ),
      ),
    );
  }

  /** Under an edge with `budget`, connects through createMcpFetch and calls the tool until the STS refuses. */
  async function callUntilRefused(budget: number, under = underBudget): Promise<{ succeeded: number; refusal: unknown; seen: Seen[] }> {
    const before = tools.seen.length;
    return under(budget, async () => {
      const client = new Client({ name: 'budget-agent', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(tools.url), { fetch: createMcpFetch({ caracal, resource: RESOURCE, scopes: ['tools:call'] }) });
      await client.connect(transport);
      await client.listTools();
      let succeeded = 0;
      let refusal: unknown;
      // Bounded: the budget must stop it long before.
      for (let attempt = 0; attempt < budget + 5 && refusal === undefined; attempt++) {
        await client.callTool({ name: 'count', arguments: {} }).then(
          () => void succeeded++,
          (error: unknown) => void (refusal = error),
        );
      }
      await transport.terminateSession();
      await client.close();
      return { succeeded, refusal, seen: tools.seen.slice(before) };
    });
  }

  it.each([1, 4, 20])('budget %i lets exactly that many tool calls through createMcpFetch', async (budget) => {
    const { succeeded, refusal, seen } = await callUntilRefused(budget);
    expect(succeeded).toBe(budget);
    expect(codesOf(refusal)).toContain('TOKEN_EXCHANGE_FAILED');
    // The tool ran exactly `budget` times; initialize, the notification, tools/list, the stream
    // and the DELETE went with protocol mandates and spent nothing.
    const calls = seen.filter((request) => request.methods.includes('tools/call'));
    expect(calls).toHaveLength(budget);
    expect(calls.every((request) => request.use === 'call')).toBe(true);
    const chatter = seen.filter((request) => !request.methods.includes('tools/call'));
    expect(chatter.map((request) => request.methods[0] ?? request.http)).toEqual(expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/list', 'DELETE']));
    expect(chatter.every((request) => request.use === 'protocol')).toBe(true);
  });

  it("a narrow grant's own budget (spawn) counts tool calls too", async () => {
    const underGrant = <R>(budget: number, fn: (context: CaracalContext) => Promise<R>): Promise<R> =>
      caracal.spawn({ kind: 'ephemeral', grant: { mode: 'narrow', scopes: ['tools:call'], constraints: { budget } } }, fn);
    const { succeeded, refusal } = await callUntilRefused(3, underGrant);
    expect(succeeded).toBe(3);
    expect(codesOf(refusal)).toContain('TOKEN_EXCHANGE_FAILED');
  });

  it('refuses a protocol mandate presented for tools/call, with a typed refusal, and the tool never runs', async () => {
    const ran = tools.toolCalls.length;
    await underBudget(3, async () => {
      const { accessToken } = await caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'], use: 'protocol' });
      expect(decodeJwt(accessToken)).toMatchObject({ use: 'protocol', aud: RESOURCE });
      const response = await fetch(tools.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'count', arguments: {} } }]),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe('invalid_token');
      expect(body.error_description).toContain('protocol mandate');
      // The core verifier says the same, typed, when the request acts or nobody said it does not.
      const another = (await caracal.exchange({ resource: RESOURCE, use: 'protocol' })).accessToken;
      const error: unknown = await verifier.verify(another).catch((caught: unknown) => caught);
      expect(mandateRefusalReason(error)).toBe('protocol_mandate');
    });
    expect(tools.toolCalls.length).toBe(ran);
  });

  it('a receiver without the mcp option refuses protocol mandates altogether', async () => {
    await caracal.spawn({ kind: 'ephemeral' }, async () => {
      const { accessToken } = await caracal.exchange({ resource: RESOURCE, use: 'protocol' });
      const error: unknown = await verifier.verify(accessToken, { acting: undefined }).catch((caught: unknown) => caught);
      expect(mandateRefusalReason(error)).toBe('protocol_mandate');
      const other = (await caracal.exchange({ resource: RESOURCE, use: 'protocol' })).accessToken;
      await expect(verifier.verify(other, { acting: false })).resolves.toMatchObject({ claims: { use: 'protocol' } });
    });
  });

  it('/v1/verify, which cannot tell whether the request acts, never calls a protocol mandate valid', async () => {
    await caracal.spawn({ kind: 'ephemeral' }, async () => {
      const { accessToken } = await caracal.exchange({ resource: RESOURCE, use: 'protocol' });
      const response = await fetch(`${caracalServer.url}/v1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: accessToken, audience: RESOURCE }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ valid: false, error: 'wrong_use' });
    });
  });

  it("an old-style call mandate still works for every request ('exchange'), and each one spends budget", async () => {
    const before = tools.seen.length;
    const ran = tools.toolCalls.length;
    await underBudget(4, async () => {
      const client = new Client({ name: 'budget-agent', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(tools.url), {
        fetch: createMcpFetch({ caracal, resource: RESOURCE, scopes: ['tools:call'], otherRequests: 'exchange' }),
      });
      // initialize and notifications/initialized spend 2 of the 4; the SSE GET may take a third.
      await client.connect(transport);
      await client.callTool({ name: 'count', arguments: {} });
      const error: unknown = await client.callTool({ name: 'count', arguments: {} }).then(() => client.callTool({ name: 'count', arguments: {} })).catch((caught: unknown) => caught);
      expect(codesOf(error)).toContain('TOKEN_EXCHANGE_FAILED');
      await client.close();
    });
    expect(tools.toolCalls.length).toBeLessThan(ran + 3);
    expect(tools.toolCalls.length).toBeGreaterThan(ran);
    const seen = tools.seen.slice(before);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((request) => request.use === 'call')).toBe(true);
  });

  it('the STS refuses an unknown mandate_use with a typed 400 and mints nothing', async () => {
    const response = await fetch(`${caracalServer.url}/oauth/2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: await caracal.sessionMandate(),
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        resource: RESOURCE,
        mandate_use: 'session',
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });
});
