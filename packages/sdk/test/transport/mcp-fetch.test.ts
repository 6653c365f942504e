import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bind } from '../../src/context/bind.ts';
import { configure } from '../../src/default-client.ts';
import { isCaracalError } from '../../src/errors.ts';
import { parseBaggage, parseTraceparent } from '../../src/propagation/index.ts';
import { createMcpFetch } from '../../src/transport/mcp/index.ts';
import { agentContext, SESSION_TOKEN, TRACE_ID } from './helpers/contexts.ts';
import { json, startRecordingServer, type RecordingServer, type Responder } from './helpers/recording-server.ts';
import { startStsStandIn, type StsStandIn } from './helpers/sts-stand-in.ts';
import { stsExchanger } from './helpers/sts-exchanger.ts';

const RESOURCE = 'mcp://tools.local';

let sts: StsStandIn;
let mcpServer: RecordingServer;
let exchanger: ReturnType<typeof stsExchanger>;

/** Answers like an MCP Streamable HTTP server: JSON for requests, 202 for notifications, SSE for GET. */
const mcpLike: Responder = (request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/event-stream' }).end(': ok\n\n');
  } else {
    const message = JSON.parse(request.body) as { id?: number };
    if (message.id === undefined) response.writeHead(202).end();
    else json(response, 200, { jsonrpc: '2.0', id: message.id, result: {} });
  }
};

beforeAll(async () => {
  sts = await startStsStandIn({ sessionTokens: [SESSION_TOKEN] });
  exchanger = stsExchanger(sts.url);
  mcpServer = await startRecordingServer(mcpLike);
});

afterAll(async () => {
  await mcpServer.close();
  await exchanger.close();
  await sts.close();
});

const toolCall = (id: number, text: string): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } });

function post(mcpFetch: ReturnType<typeof createMcpFetch>, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return mcpFetch(`${mcpServer.url}/mcp`, {
    method: 'POST',
    headers: new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }),
    body,
  });
}

function bearer(request: { headers: Record<string, unknown> }): string {
  return String(request.headers.authorization).replace(/^Bearer /, '');
}

describe('createMcpFetch', () => {
  it('sends every tools/call with its own mandate for the server resource, never the session token', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, scopes: ['tools:call'] });
    const before = mcpServer.requests.length;
    await bind(agentContext, async () => {
      for (let id = 1; id <= 3; id++) expect((await post(mcpFetch, toolCall(id, `call ${id}`), { Authorization: `Bearer ${SESSION_TOKEN}` })).status).toBe(200);
    });
    const calls = mcpServer.requests.slice(before);
    expect(calls).toHaveLength(3);
    const tokens = calls.map(bearer);
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) {
      const minted = sts.mandate(token);
      expect(minted?.form).toMatchObject({
        resource: RESOURCE,
        scope: 'tools:call',
        subject_token: SESSION_TOKEN,
        agent_session_id: 'agentsess_01',
        delegation_edge_id: 'deledge_01',
      });
    }
    for (const call of calls) expect(JSON.stringify(call.headers)).not.toContain(SESSION_TOKEN);
  });

  it('by default asks for a protocol mandate (no budget) for each request that does not act, a per-call one for tools/call', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const before = mcpServer.requests.length;
    await bind(agentContext, async () => {
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }));
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      await post(mcpFetch, toolCall(2, 'acts'));
      await post(mcpFetch, JSON.stringify([{ jsonrpc: '2.0', id: 3, method: 'tools/list' }, JSON.parse(toolCall(4, 'in a batch'))]));
      await (await mcpFetch(`${mcpServer.url}/mcp`, { method: 'GET', headers: { accept: 'text/event-stream' } })).text();
    });
    const forms = mcpServer.requests.slice(before).map((request) => sts.mandate(bearer(request))?.form.mandate_use);
    expect(forms).toEqual(['protocol', 'protocol', undefined, undefined, 'protocol']);
    const tokens = mcpServer.requests.slice(before).map(bearer);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("with otherRequests: 'exchange', asks for per-call mandates only", async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, otherRequests: 'exchange' });
    const before = mcpServer.requests.length;
    await bind(agentContext, () => post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })));
    const [request] = mcpServer.requests.slice(before);
    expect(sts.mandate(bearer(request!))?.form.mandate_use).toBeUndefined();
  });

  it('adds traceparent and baggage headers and mirrors them into params._meta, keeping valid JSON-RPC', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const before = mcpServer.requests.length;
    await bind(agentContext, () => post(mcpFetch, toolCall(7, 'trace me'), { 'content-length': '999' }));
    const [call] = mcpServer.requests.slice(before);
    const traceparent = parseTraceparent(String(call?.headers.traceparent));
    expect(traceparent?.traceId).toBe(TRACE_ID);
    expect(call?.headers.tracestate).toBe('vendor=abc');
    const baggage = parseBaggage(String(call?.headers.baggage));
    expect(baggage).toEqual(
      expect.arrayContaining([
        { key: 'caracal.agent_session', value: 'agentsess_01' },
        { key: 'caracal.delegation_edge', value: 'deledge_01' },
        { key: 'caracal.hop', value: '2' },
        { key: 'tenant', value: 'acme' },
      ]),
    );
    const message = JSON.parse(call?.body ?? '') as Record<string, unknown>;
    expect(message).toEqual({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: 'echo',
        arguments: { text: 'trace me' },
        _meta: { traceparent: call?.headers.traceparent, tracestate: 'vendor=abc', baggage: call?.headers.baggage },
      },
    });
  });

  it('gives each tools/call a fresh span id under the same trace id', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const before = mcpServer.requests.length;
    await bind(agentContext, async () => {
      await post(mcpFetch, toolCall(1, 'a'));
      await post(mcpFetch, toolCall(2, 'b'));
    });
    const spans = mcpServer.requests.slice(before).map((request) => parseTraceparent(String(request.headers.traceparent)));
    expect(spans[0]?.traceId).toBe(spans[1]?.traceId);
    expect(spans[0]?.spanId).not.toBe(spans[1]?.spanId);
  });

  it("with otherRequests: 'reuse', lets initialize, notifications, list calls and the SSE stream share one mandate per context", async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, otherRequests: 'reuse' });
    const before = mcpServer.requests.length;
    const mintedBefore = sts.minted.length;
    await bind(agentContext, async () => {
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }));
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      const stream = await mcpFetch(`${mcpServer.url}/mcp`, { method: 'GET', headers: { accept: 'text/event-stream' } });
      await stream.text();
      await post(mcpFetch, toolCall(2, 'needs authority'));
    });
    const requests = mcpServer.requests.slice(before);
    const tokens = requests.map(bearer);
    expect(new Set(tokens.slice(0, 4)).size).toBe(1);
    expect(tokens[4]).not.toBe(tokens[0]);
    expect(sts.minted.length - mintedBefore).toBe(2);
    // A notification without params still gains _meta, as a JSON-RPC notification.
    expect(JSON.parse(requests[1]?.body ?? '')).toMatchObject({ jsonrpc: '2.0', method: 'notifications/initialized', params: { _meta: { traceparent: expect.any(String) } } });
    expect(requests[3]?.headers.traceparent).toBeDefined();
  });

  it('re-exchanges a reusable mandate shortly before it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, otherRequests: 'reuse' });
      const before = mcpServer.requests.length;
      const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      await bind(agentContext, async () => {
        await post(mcpFetch, list);
        // The stand-in's mandates live 900 s; one is reused until the last 20 % of its life.
        vi.setSystemTime(Date.now() + 700_000);
        await post(mcpFetch, list);
        vi.setSystemTime(Date.now() + 30_000);
        await post(mcpFetch, list);
      });
      const [first, second, third] = mcpServer.requests.slice(before).map(bearer);
      expect(second).toBe(first);
      expect(third).not.toBe(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never shares a reusable mandate between two contexts', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, otherRequests: 'reuse' });
    const before = mcpServer.requests.length;
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    await Promise.all([
      bind(agentContext, () => post(mcpFetch, list)),
      bind({ ...agentContext, agentSessionId: 'agentsess_02' }, () => post(mcpFetch, list)),
    ]);
    const [first, second] = mcpServer.requests.slice(before).map(bearer);
    expect(first).not.toBe(second);
    const sessions = [first, second].map((token) => sts.mandate(token ?? '')?.form.agent_session_id).sort();
    expect(sessions).toEqual(['agentsess_01', 'agentsess_02']);
  });

  it('by default gives every request, the SSE GET included, a fresh mandate (verifiers accept one only once)', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const before = mcpServer.requests.length;
    const mintedBefore = sts.minted.length;
    await bind(agentContext, async () => {
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      await (await mcpFetch(`${mcpServer.url}/mcp`, { method: 'GET', headers: { accept: 'text/event-stream' } })).text();
    });
    expect(new Set(mcpServer.requests.slice(before).map(bearer)).size).toBe(3);
    expect(sts.minted.length - mintedBefore).toBe(3);
  });

  it('with reuse, still mints fresh mandates for custom authority methods', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, methods: ['resources/read'], otherRequests: 'reuse' });
    const before = mcpServer.requests.length;
    await bind(agentContext, async () => {
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///a' } }));
      await post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: 'file:///b' } }));
    });
    expect(new Set(mcpServer.requests.slice(before).map(bearer)).size).toBe(3);
  });

  it('treats a batch containing tools/call as needing a fresh mandate and tags each message', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE, otherRequests: 'reuse' });
    const before = mcpServer.requests.length;
    const batch = JSON.stringify([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
      JSON.parse(toolCall(9, 'batched')) as unknown,
      { jsonrpc: '2.0', id: 4, result: {} },
    ]);
    mcpServer.respond = (_request, response) => response.writeHead(202).end();
    try {
      await bind(agentContext, () => post(mcpFetch, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })));
      await bind(agentContext, () => post(mcpFetch, batch));
    } finally {
      mcpServer.respond = mcpLike;
    }
    const [list, batched] = mcpServer.requests.slice(before);
    expect(bearer(batched as never)).not.toBe(bearer(list as never));
    const messages = JSON.parse(batched?.body ?? '') as Array<{ params?: { _meta?: Record<string, string> } }>;
    expect(messages).toHaveLength(3);
    expect(messages[0]?.params?._meta?.traceparent).toBe(batched?.headers.traceparent);
    expect(messages[1]?.params?._meta?.traceparent).toBe(batched?.headers.traceparent);
    expect(messages[2]).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
  });

  it('fails closed outside a context: NO_ACTIVE_CONTEXT and nothing is sent', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const before = mcpServer.requests.length;
    const mintedBefore = sts.minted.length;
    const error: unknown = await post(mcpFetch, toolCall(1, 'no context'), { authorization: `Bearer ${SESSION_TOKEN}` }).catch((caught: unknown) => caught);
    expect(isCaracalError(error) && error.code).toBe('NO_ACTIVE_CONTEXT');
    expect(mcpServer.requests.length).toBe(before);
    expect(sts.minted.length).toBe(mintedBefore);
  });

  it('does not send the request when the exchange is refused', async () => {
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const before = mcpServer.requests.length;
    sts.failNext.push(403);
    const error: unknown = await bind(agentContext, () => post(mcpFetch, toolCall(1, 'refused'))).catch((caught: unknown) => caught);
    expect(isCaracalError(error) && [error.code, error.status]).toEqual(['TOKEN_EXCHANGE_FAILED', 403]);
    expect(mcpServer.requests.length).toBe(before);
  });

  it('uses the module-level default client when caracal is omitted, looked up per call', async () => {
    const mcpFetch = createMcpFetch({ resource: RESOURCE });
    configure(exchanger);
    const before = mcpServer.requests.length;
    await bind(agentContext, () => post(mcpFetch, toolCall(1, 'default client')));
    expect(sts.mandate(bearer(mcpServer.requests[before] as never))?.form.resource).toBe(RESOURCE);
  });

  it('rejects bad options at creation', () => {
    expect(() => createMcpFetch({ caracal: exchanger, resource: '' })).toThrow(/resource/);
    expect(() => createMcpFetch({ caracal: exchanger, resource: RESOURCE, methods: 'tools/call' as never })).toThrow(/methods/);
    expect(() => createMcpFetch({ caracal: exchanger, resource: RESOURCE, otherRequests: 'never' as never })).toThrow(/otherRequests/);
    expect(() => createMcpFetch({ caracal: {} as never, resource: RESOURCE })).toThrow(/exchange/);
  });
  it('rejects with a typed NETWORK_ERROR naming the target when the MCP server is down, not a bare fetch TypeError', async () => {
    const gone = await startRecordingServer();
    const url = gone.url;
    await gone.close();
    const mcpFetch = createMcpFetch({ caracal: exchanger, resource: RESOURCE });
    const failure = await bind(agentContext, () =>
      mcpFetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: toolCall(1, 'x') }),
    ).catch((error: unknown) => error);
    expect(isCaracalError(failure) && failure.code).toBe('NETWORK_ERROR');
    expect((failure as Error).message).toContain(`POST ${url}/mcp failed before a response arrived (ECONNREFUSED)`);
    expect((failure as Error).cause).toBeInstanceOf(TypeError);
  });
});
