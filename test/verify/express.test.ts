import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { current } from '@caracal/sdk';
import { verifyExpress, createRevocationStore, REVOKED_TRAILER, type CaracalIncomingMessage } from '@caracal/sdk/verify';
import { CALLER_SESSION, startMandateIssuer, ZONE, type MandateIssuer } from './helpers/mandate-issuer.ts';
import { rawRequest } from './helpers/raw-request.ts';
import { listenOnLoopback, type Listening } from '../support/listen-on-loopback.ts';

const AUDIENCE = 'https://orders.e2e';

let issuer: MandateIssuer;
let listening: Listening;
let url: string;
const store = createRevocationStore();

beforeAll(async () => {
  issuer = await startMandateIssuer();
  const verifier = issuer.verifier(AUDIENCE, { revocation: store });
  const app = express();
  // Caracal first: a request without a valid mandate is refused before its body is even read.
  app.use(verifyExpress({ verifier, requiredScopes: ['tools:call'] }));
  app.use(express.json());
  app.post('/orders', async (request, response) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    response.json({ body: request.body as unknown, context: current(), caller: (request as unknown as CaracalIncomingMessage).caracal?.claims.client_id });
  });
  app.get('/orders/feed', (request, response) => {
    response.setHeader('content-type', 'text/event-stream');
    response.write('data: order 1\n\n');
    // Idle until the mandate is revoked; the push cuts the stream.
    (request as unknown as CaracalIncomingMessage).caracal?.signal.addEventListener('abort', () => undefined);
  });
  app.get('/admin', verifyExpress({ verifier, requiredScopes: ['orders:admin'] }), (_request, response) => void response.json({ ok: true }));
  listening = await listenOnLoopback(app);
  url = listening.url;
});

afterAll(async () => {
  await listening.close();
  await issuer.close();
});

describe('verifyExpress', () => {
  it('runs later middleware (body parsing included) and the route inside the verified context', async () => {
    const token = await issuer.mint(AUDIENCE);
    const response = await rawRequest(`${url}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', baggage: 'caracal.agent_session=agentsess_forged,region=eu' },
      body: JSON.stringify({ item: 'widget' }),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      body: { item: 'widget' },
      caller: 'app_e2e_caller',
      context: {
        subjectToken: token,
        zoneId: ZONE,
        clientId: 'app_e2e_caller',
        agentSessionId: CALLER_SESSION,
        delegationEdgeId: 'deledge_e2e_leaf',
        parentEdgeId: 'deledge_e2e_root',
        hop: 2,
      },
    });
  });

  it('refuses with 401 invalid_token (and never runs the route) or 403 insufficient_scope', async () => {
    const missing = await rawRequest(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toContain('Bearer error="invalid_token"');
    expect(JSON.parse(missing.body)).toEqual({ error: 'invalid_token', error_description: expect.any(String) });

    const wrongAudience = await rawRequest(`${url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${await issuer.mint('https://elsewhere.e2e')}` } });
    expect(wrongAudience.status).toBe(401);

    const admin = await rawRequest(`${url}/admin`, { headers: { authorization: `Bearer ${await issuer.mint(AUDIENCE)}` } });
    expect(admin.status).toBe(403);
    expect(JSON.parse(admin.body)).toMatchObject({ error: 'insufficient_scope' });
  });

  it('cuts a streaming response with the X-Caracal-Revoked trailer when the session is revoked', async () => {
    const session = 'agentsess_e2e_streaming';
    const response = await rawRequest(`${url}/orders/feed`, {
      headers: { authorization: `Bearer ${await issuer.mint(AUDIENCE, { agent_session_id: session })}` },
      onData: () => store.revoke({ sessionIds: [session] }),
    });
    expect(response.headers.trailer).toBe(REVOKED_TRAILER);
    expect(response.body).toBe('data: order 1\n\n');
    expect(response.trailers['x-caracal-revoked']).toBe(session);
  });
});
