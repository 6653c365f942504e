import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { current } from '../../src/context/current.ts';
import { createRevocationStore, createVerifier, mcpAuthInfo, verifyFetch, type Verifier } from '../../src/verify/index.ts';
import { AUDIENCE, SESSION, startTestIssuer, ZONE, type TestIssuer } from './helpers/test-issuer.ts';

let issuer: TestIssuer;
let verifier: Verifier;
const store = createRevocationStore();

beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation: store });
});

afterAll(async () => {
  await verifier.close();
  await issuer.close();
});

describe('verifyFetch (web-standard handlers, MCP v2)', () => {
  it('runs the handler in the verified context and hands over MCP AuthInfo', async () => {
    const handle = verifyFetch(async (_request, verified) => {
      await Promise.resolve();
      return Response.json({ session: current()?.agentSessionId, auth: mcpAuthInfo(verified) });
    }, { verifier });
    const token = await issuer.mint();
    const response = await handle(new Request('http://receiver.test/mcp', { headers: { authorization: `Bearer ${token}` } }));
    const body = (await response.json()) as { session: string; auth: Record<string, unknown> };
    expect(body.session).toBe(SESSION);
    expect(body.auth).toMatchObject({ token, clientId: 'app_caller', scopes: ['tools:call', 'tools:list'], resource: `${AUDIENCE}` });
  });

  it('answers refusals as web Responses', async () => {
    const handle = verifyFetch(() => new Response('unreachable'), { verifier });
    const response = await handle(new Request('http://receiver.test/mcp'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('errors a streamed body once the mandate is revoked', async () => {
    let push!: (text: string) => void;
    const handle = verifyFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              push = (text) => controller.enqueue(new TextEncoder().encode(text));
            },
          }),
        ),
      { verifier },
    );
    const response = await handle(new Request('http://receiver.test/mcp', { headers: { authorization: `Bearer ${await issuer.mint({ agent_session_id: 'agentsess_stream' })}` } }));
    const reader = response.body!.getReader();
    push('data: one\n\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    const next = reader.read();
    store.revoke({ sessionIds: ['agentsess_stream'] });
    await expect(next).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
  });
});
