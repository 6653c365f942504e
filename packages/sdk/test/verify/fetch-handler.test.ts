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

  /** A handler streaming what the test pushes, with `contentType`; `cancelled` settles with the cancel reason. */
  function streamingHandler(contentType: string): { handle: ReturnType<typeof verifyFetch>; push: (text: string) => void; cancelled: Promise<unknown> } {
    let push!: (text: string) => void;
    let onCancel!: (reason: unknown) => void;
    const cancelled = new Promise<unknown>((resolve) => {
      onCancel = resolve;
    });
    const handle = verifyFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              push = (text) => controller.enqueue(new TextEncoder().encode(text));
            },
            cancel: onCancel,
          }),
          { headers: { 'content-type': contentType } },
        ),
      { verifier },
    );
    return { handle, push: (text) => push(text), cancelled };
  }

  /**
   * Serves a streamed `contentType` body to a caller of `sessionId`, reads its `first` chunk, then
   * revokes the session: `next` is the read that was pending at the revocation.
   */
  async function revokedMidStream(contentType: string, sessionId: string, first: string) {
    const { handle, push, cancelled } = streamingHandler(contentType);
    const response = await handle(new Request('http://receiver.test/mcp', { headers: { authorization: `Bearer ${await issuer.mint({ agent_session_id: sessionId })}` } }));
    const reader = response.body!.getReader();
    push(first);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(first);
    const next = reader.read();
    store.revoke({ sessionIds: [sessionId] });
    return { reader, next, cancelled };
  }

  it('ends a streamed event stream cleanly with a caracal.revoked event once the mandate is revoked, and cancels the handler\'s stream', async () => {
    const { reader, next, cancelled } = await revokedMidStream('text/event-stream', 'agentsess_stream', 'data: one\n\n');
    const last = new TextDecoder().decode((await next).value);
    expect(last).toMatch(/^event: caracal\.revoked\ndata: \{.*"revoked":"agentsess_stream".*\}\n\n$/);
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(await cancelled).toMatchObject({ code: 'MANDATE_REVOKED' });
  });

  it('ends any other streamed body early and cleanly, without an error', async () => {
    const { next } = await revokedMidStream('application/json', 'agentsess_stream_json', '{"partial":');
    expect(await next).toEqual({ done: true, value: undefined });
  });
});
