import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { current } from '../../src/context/current.ts';
import {
  verifyNodeMiddleware,
  createRevocationStore,
  createVerifier,
  verifyNode,
  type CaracalIncomingMessage,
} from '../../src/verify/index.ts';
import { listen } from './helpers/listen.ts';
import { rawRequest } from './helpers/raw-request.ts';
import { useVerifyFixture } from './helpers/verify-fixture.ts';
import { AUDIENCE, SESSION, ZONE } from './helpers/test-issuer.ts';

const store = createRevocationStore();
const fixture = useVerifyFixture({ requiredScopes: ['tools:call'], revocation: store });


/** A handler that reports what it sees, after an await and a timer hop (context must survive both). */
async function reportContext(request: CaracalIncomingMessage, response: ServerResponse): Promise<void> {
  await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
  const context = current();
  response.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({ context, caller: request.caracal?.claims.client_id, auth: request.auth?.clientId, scopes: request.auth?.scopes }),
  );
}

async function get(token?: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; json: Record<string, unknown> }> {
  const response = await rawRequest(`${fixture.server!.url}/tools`, { headers: token === undefined ? headers : { authorization: `Bearer ${token}`, ...headers } });
  return { status: response.status, headers: response.headers, json: JSON.parse(response.body.toString('utf8')) as Record<string, unknown> };
}

describe('verifyNode (node:http)', () => {
  it('runs the handler inside the verified context, with request.caracal and request.auth', async () => {
    fixture.server = await listen(verifyNode(reportContext, { verifier: fixture.verifier }));
    const token = await fixture.issuer.mint();
    const { status, json } = await get(token, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      context: { subjectToken: token, zoneId: ZONE, clientId: 'app_caller', agentSessionId: SESSION, hop: 2, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
      caller: 'app_caller',
      auth: 'app_caller',
      scopes: ['tools:call', 'tools:list'],
    });
  });

  it('keeps concurrent requests in their own contexts', async () => {
    fixture.server = await listen(verifyNode(reportContext, { verifier: fixture.verifier }));
    const sessions = Array.from({ length: 12 }, (_, index) => `agentsess_${index}`);
    const results = await Promise.all(sessions.map(async (session) => (await get(await fixture.issuer.mint({ agent_session_id: session }))).json));
    expect(results.map((result) => (result.context as { agentSessionId: string }).agentSessionId)).toEqual(sessions);
  });

  it('answers 401 with a Bearer invalid_token challenge and the error JSON when the mandate is missing or bad', async () => {
    fixture.server = await listen(verifyNode(reportContext, { verifier: fixture.verifier }));
    for (const token of [undefined, 'garbage', await fixture.issuer.mint({ exp: Math.floor(Date.now() / 1000) - 600 })]) {
      const { status, headers, json } = await get(token);
      expect(status).toBe(401);
      expect(headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
      expect(json).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    }
  });

  it('answers 403 insufficient_scope naming the scope', async () => {
    fixture.server = await listen(verifyNode(reportContext, { verifier: fixture.verifier, requiredScopes: ['tools:admin'] }));
    const { status, headers, json } = await get(await fixture.issuer.mint());
    expect(status).toBe(403);
    expect(headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(headers['www-authenticate']).toContain('scope="tools:call tools:admin"');
    expect(json.error).toBe('insufficient_scope');
  });

  it('answers 401 to a replayed or revoked mandate', async () => {
    fixture.server = await listen(verifyNode(reportContext, { verifier: fixture.verifier }));
    const token = await fixture.issuer.mint();
    expect((await get(token)).status).toBe(200);
    expect(await get(token)).toMatchObject({ status: 401, json: { error: 'invalid_token' } });

    store.revoke({ sessionIds: ['agentsess_revoked'] });
    const revoked = await get(await fixture.issuer.mint({ agent_session_id: 'agentsess_revoked' }));
    expect(revoked).toMatchObject({ status: 401, json: { error: 'invalid_token' } });
    expect(String(revoked.json.error_description)).toContain('revoked');
  });

  it('answers 503 temporarily_unavailable when the zone keys cannot be fetched', async () => {
    const unreachable = createVerifier({ issuer: 'http://127.0.0.1:1', zoneId: ZONE, audience: AUDIENCE });
    fixture.server = await listen(verifyNode(reportContext, { verifier: unreachable }));
    const { status, headers, json } = await get(await fixture.issuer.mint());
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('5');
    expect(json.error).toBe('temporarily_unavailable');
    await unreachable.close();
  });

  it('turns a handler failure into a 500 without leaking it', async () => {
    fixture.server = await listen(
      verifyNode(() => {
        throw new Error('handler bug');
      }, { verifier: fixture.verifier }),
    );
    const { status, json } = await get(await fixture.issuer.mint());
    expect(status).toBe(500);
    expect(json).toEqual({ error: 'server_error', error_description: 'The handler failed.' });
  });
});

describe('verifyNodeMiddleware', () => {
  it('runs next() inside the context and never calls it on refusal', async () => {
    const caracal = verifyNodeMiddleware({ verifier: fixture.verifier });
    let calls = 0;
    fixture.server = await listen((request, response) =>
      caracal(request, response, () => {
        calls++;
        response.end(current()?.agentSessionId);
      }),
    );
    expect((await rawRequest(`${fixture.server.url}/`, { headers: { authorization: `Bearer ${await fixture.issuer.mint()}` } })).body.toString()).toBe(SESSION);
    expect((await rawRequest(`${fixture.server.url}/`)).status).toBe(401);
    expect(calls).toBe(1);
  });
});
