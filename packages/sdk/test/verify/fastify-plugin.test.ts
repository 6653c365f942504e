import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { current } from '../../src/context/current.ts';
import { verifyFastify, createRevocationStore, REVOKED_TRAILER, type VerifiedRequest } from '../../src/verify/index.ts';
import { rawRequest } from './helpers/raw-request.ts';
import { useVerifyFixture } from './helpers/verify-fixture.ts';
import { SESSION } from './helpers/test-issuer.ts';

let app: FastifyInstance | undefined;
const store = createRevocationStore();
const fixture = useVerifyFixture({ revocation: store });

afterEach(async () => {
  await app?.close();
  app = undefined;
});

declare module 'fastify' {
  interface FastifyRequest {
    caracal?: VerifiedRequest | null;
  }
}

async function start(): Promise<string> {
  app = Fastify();
  await app.register(verifyFastify, { verifier: fixture.verifier, requiredScopes: ['tools:call'] });
  app.get('/whoami', async (request) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { session: current()?.agentSessionId, client: request.caracal?.claims.client_id };
  });
  app.post('/echo', async (request) => ({ body: request.body, session: current()?.agentSessionId }));
  app.get('/stream', (request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/plain' });
    reply.raw.write(Buffer.alloc(4096, 'a'));
    store.revoke({ sessionIds: ['agentsess_streaming'] });
    reply.raw.write(Buffer.alloc(4096, 'b'));
    reply.raw.end();
    void request;
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('verifyFastify', () => {
  it('runs hooks and handlers inside the verified context, for GET and for POST with a parsed body', async () => {
    const url = await start();
    const token = await fixture.issuer.mint();
    const response = await rawRequest(`${url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(response.body.toString())).toEqual({ session: SESSION, client: 'app_caller' });

    const posted = await rawRequest(`${url}/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await fixture.issuer.mint()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ invoice: 42 }),
    });
    expect(JSON.parse(posted.body.toString())).toEqual({ body: { invoice: 42 }, session: SESSION });
  });

  it('answers 401/403 from the onRequest hook, before any handler', async () => {
    const url = await start();
    const missing = await rawRequest(`${url}/whoami`);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.parse(missing.body.toString())).toMatchObject({ error: 'invalid_token' });

    const scoped = await rawRequest(`${url}/whoami`, { headers: { authorization: `Bearer ${await fixture.issuer.mint({ scope: 'tools:list' })}` } });
    expect(scoped.status).toBe(403);
    expect(JSON.parse(scoped.body.toString())).toMatchObject({ error: 'insufficient_scope' });
  });

  it('guards raw streamed replies with the X-Caracal-Revoked trailer', async () => {
    const url = await start();
    const response = await rawRequest(`${url}/stream`, { headers: { authorization: `Bearer ${await fixture.issuer.mint({ agent_session_id: 'agentsess_streaming' })}` } });
    expect(response.headers.trailer).toBe(REVOKED_TRAILER);
    expect(response.body.length).toBe(4096);
    expect(response.trailers['x-caracal-revoked']).toBe('agentsess_streaming');
  });

  it('also works through inject()', async () => {
    app = Fastify();
    await app.register(verifyFastify, { verifier: fixture.verifier });
    app.get('/whoami', async () => ({ session: current()?.agentSessionId }));
    const response = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${await fixture.issuer.mint()}` } });
    expect(response.json()).toEqual({ session: SESSION });
  });
});
