import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { mcpRequestActs } from '../../src/model/mcp-acting-request.ts';
import { mandateRefusalReason, MCP_ACTING_METHODS, verifyFastify, verifyFetch, verifyNode, type CaracalIncomingMessage, type VerifyMiddlewareOptions } from '../../src/verify/index.ts';
import { listen, type Listening } from './helpers/listen.ts';
import { rawRequest } from './helpers/raw-request.ts';
import { useVerifyFixture } from './helpers/verify-fixture.ts';

const fixture = useVerifyFixture({ requiredScopes: ['tools:call'] });
const ACTING = new Set(MCP_ACTING_METHODS);
const message = (method: string, id?: number) => ({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method });

describe('which MCP requests act (one rule for createMcpFetch and the receivers)', () => {
  it.each([
    ['GET (the SSE stream)', 'GET', undefined, false],
    ['DELETE (ending the session)', 'DELETE', undefined, false],
    ['initialize', 'POST', message('initialize', 1), false],
    ['a notification', 'POST', message('notifications/initialized'), false],
    ['tools/list', 'POST', message('tools/list', 2), false],
    ['a response to a server request', 'POST', { jsonrpc: '2.0', id: 7, result: {} }, false],
    ['tools/call', 'POST', message('tools/call', 3), true],
    ['a batch holding a tools/call', 'POST', [message('tools/list', 1), message('tools/call', 2)], true],
    ['an empty batch', 'POST', [], true],
    ['a body that is not JSON-RPC', 'POST', { method: 'tools/list' }, true],
    ['no body', 'POST', undefined, true],
    ['another HTTP method', 'PUT', message('tools/list', 1), true],
  ])('%s', (_name, httpMethod, body, acts) => {
    expect(mcpRequestActs(httpMethod, body, ACTING)).toBe(acts);
  });
});

/** A receiver of each adapter that echoes the body its handler got (MCP transports need it). */
const receivers: Record<string, (options: VerifyMiddlewareOptions) => Promise<Listening>> = {
  'verifyNode (node:http)': (options) =>
    listen(verifyNode((request: CaracalIncomingMessage & { body?: unknown }, response) => void response.end(JSON.stringify({ body: request.body ?? null, use: request.caracal?.claims.use })), options)),
  verifyFetch: (options) => {
    const handle = verifyFetch(async (request, verified) => Response.json({ body: request.method === 'POST' ? await request.json() : null, use: verified.claims.use }), options);
    return listen(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = request.method === 'POST' ? Buffer.concat(chunks) : undefined;
      const answer = await handle(new Request(`http://local${request.url}`, { method: request.method, headers: request.headers as Record<string, string>, body }));
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
  },
  verifyFastify: async (options) => {
    const app = Fastify();
    await app.register(verifyFastify, options);
    app.all('/mcp', async (request) => ({ body: request.body ?? null, use: (request as { caracal?: { claims: { use: string } } | null }).caracal?.claims.use }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
};

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe.each(Object.keys(receivers))('%s with mcp: true', (name) => {
  const start = async (options: Partial<VerifyMiddlewareOptions> = {}): Promise<string> => {
    running = await receivers[name]!({ verifier: fixture.verifier, mcp: true, ...options });
    return `${running.url}/mcp`;
  };
  const post = async (url: string, token: string, body: unknown) => {
    const response = await rawRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: JSON.parse(response.body.toString('utf8')) as Record<string, unknown> };
  };

  it('accepts a protocol mandate for a message that does not act, and the handler still gets the body', async () => {
    const url = await start();
    const answer = await post(url, await fixture.issuer.mint({ use: 'protocol' }), message('initialize', 1));
    expect(answer).toEqual({ status: 200, json: { body: message('initialize', 1), use: 'protocol' } });
    const stream = await rawRequest(url, { headers: { authorization: `Bearer ${await fixture.issuer.mint({ use: 'protocol' })}` } });
    expect(stream.status).toBe(200);
  });

  it('refuses a protocol mandate for tools/call (alone or in a batch) with protocol_mandate, before the handler', async () => {
    const url = await start();
    for (const body of [message('tools/call', 1), [message('tools/list', 1), message('tools/call', 2)]]) {
      const answer = await post(url, await fixture.issuer.mint({ use: 'protocol' }), body);
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ error: 'invalid_token' });
      expect(String(answer.json.error_description)).toContain('protocol mandate');
    }
  });

  it('takes a per-call mandate for tools/call and for everything else, as before', async () => {
    const url = await start();
    expect((await post(url, await fixture.issuer.mint(), message('tools/call', 1))).json).toEqual({ body: message('tools/call', 1), use: 'call' });
    expect((await post(url, await fixture.issuer.mint(), message('initialize', 1))).status).toBe(200);
  });

  it('uses the acting methods it is given (equal to the client\'s methods)', async () => {
    const url = await start({ mcp: { actingMethods: ['tools/call', 'resources/read'] } });
    expect((await post(url, await fixture.issuer.mint({ use: 'protocol' }), message('resources/read', 1))).status).toBe(401);
    expect((await post(url, await fixture.issuer.mint({ use: 'protocol' }), message('tools/list', 1))).status).toBe(200);
  });

  it('without mcp, refuses a protocol mandate even for a message that does not act', async () => {
    const url = await start({ mcp: undefined });
    expect((await post(url, await fixture.issuer.mint({ use: 'protocol' }), message('initialize', 1))).status).toBe(401);
  });
});

describe('verify() and protocol mandates', () => {
  it('refuses one unless told the request does not act; replays are refused as for per-call mandates', async () => {
    const token = await fixture.issuer.mint({ use: 'protocol' });
    expect(mandateRefusalReason(await fixture.verifier.verify(token).catch((error: unknown) => error))).toBe('protocol_mandate');
    expect(mandateRefusalReason(await fixture.verifier.verify(token, { acting: true }).catch((error: unknown) => error))).toBe('protocol_mandate');
    await expect(fixture.verifier.verify(token, { acting: false })).resolves.toMatchObject({ claims: { use: 'protocol' } });
    const replay: unknown = await fixture.verifier.verify(token, { acting: false }).catch((error: unknown) => error);
    expect((replay as { code?: string }).code).toBe('MANDATE_REPLAYED');
  });
});
