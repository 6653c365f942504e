import { beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { Role } from '@a2a-js/sdk';
import { createA2AFetch } from '@caracal/sdk/a2a';
import { parseTraceparent } from '@caracal/sdk/propagation';
import { startA2AServer } from './helpers/a2a-server.ts';
import { useProtectedServer } from './helpers/protected-server.ts';

const RESOURCE = 'https://billing-agent.e2e';

const running = useProtectedServer(RESOURCE, startA2AServer);

beforeEach(() => {
  running.server.requests.length = 0;
});

function clientFactory(): ClientFactory {
  // Backoff waits are zero here: timing is covered with fake time in the SDK's own tests.
  const fetchImpl = createA2AFetch({ caracal: running.stack.caracal, resource: RESOURCE, scopes: ['agents:message'], retry: { minDelayMs: 0 } });
  return new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
}

const userMessage = (messageId: string) => ({
  messageId,
  contextId: '',
  taskId: '',
  role: Role.ROLE_USER,
  parts: [{ content: { $case: 'text' as const, value: 'pay invoice 42' }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});

function bearer(value: unknown): string {
  return String(value).replace(/^Bearer /, '');
}

describe('@a2a-js/sdk client with createA2AFetch, against the real STS', () => {
  it('resolves the agent card and sends a message, both with mandates for the agent and W3C trace headers', async () => {
    let sessionId: string | undefined;
    const result = await running.stack.asAgent(async (context) => {
      sessionId = context.agentSessionId;
      const client = await clientFactory().createFromUrl(running.server.url);
      return client.sendMessage({ tenant: '', message: userMessage('msg-e2e-1'), configuration: undefined, metadata: undefined });
    });
    expect(JSON.stringify(result)).toContain('paid msg-e2e-1');
    expect(running.server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /.well-known/agent-card.json', 'POST /a2a/jsonrpc']);
    const tokens = running.server.requests.map((request) => bearer(request.headers.authorization));
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect(await running.stack.inspect(token, RESOURCE)).toMatchObject({ aud: RESOURCE, agent_session_id: sessionId });
    const traceId = parseTraceparent(String(running.server.requests[0]?.headers.traceparent))?.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const request of running.server.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(running.stack.sessionToken);
      expect(parseTraceparent(String(request.headers.traceparent))?.traceId).toBe(traceId);
      expect(request.headers.baggage).toContain(`caracal.agent_session=${sessionId}`);
    }
  });

  it('retries two 503s: three attempts, three mandates, the same JSON-RPC id and message id', async () => {
    running.server.failNext.push(503, 503);
    const result = await running.stack.asAgent(async () => {
      const client = await clientFactory().createFromUrl(running.server.url);
      return client.sendMessage({ tenant: '', message: userMessage('msg-e2e-retry'), configuration: undefined, metadata: undefined });
    });
    expect(JSON.stringify(result)).toContain('paid msg-e2e-retry');
    const posts = running.server.requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((request) => bearer(request.headers.authorization))).size).toBe(3);
    const bodies = posts.map((request) => request.body as { id: unknown; params: { message: { messageId: string } } });
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(bodies.map((body) => body.params.message.messageId)).toEqual(['msg-e2e-retry', 'msg-e2e-retry', 'msg-e2e-retry']);
  });

  it('does not retry a 400', async () => {
    running.server.failNext.push(400);
    const error: unknown = await running.stack.asAgent(async () => {
      const client = await clientFactory().createFromUrl(running.server.url);
      return client.sendMessage({ tenant: '', message: userMessage('msg-e2e-400'), configuration: undefined, metadata: undefined });
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(running.server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});
