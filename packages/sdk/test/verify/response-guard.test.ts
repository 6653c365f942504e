import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRevocationStore,
  createVerifier,
  REVOKED_TRAILER,
  verifyNode,
  type CaracalIncomingMessage,
  type RevocationStore,
  type Verifier,
} from '../../src/verify/index.ts';
import { listen } from './helpers/listen.ts';
import { rawRequest } from './helpers/raw-request.ts';
import { useVerifyFixture } from './helpers/verify-fixture.ts';
import { AUDIENCE, EDGE_ROOT, SESSION, ZONE } from './helpers/test-issuer.ts';

const fixture = useVerifyFixture();
const verifiers: Verifier[] = [];

afterEach(async () => {
  for (const verifier of verifiers.splice(0)) await verifier.close();
});

/** A store that is only ever polled: it never pushes, so only the 4 KiB checks can see a revocation. */
function pollOnly(store: RevocationStore): RevocationStore {
  return { ...store, onRevoked: () => () => undefined };
}

function verifierWith(store: RevocationStore): Verifier {
  const verifier = createVerifier({ issuer: fixture.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation: store });
  verifiers.push(verifier);
  return verifier;
}

async function call(headers: Record<string, string> = {}, onData?: (chunk: Buffer, received: number) => void): ReturnType<typeof rawRequest> {
  return rawRequest(`${fixture.server!.url}/stream`, { headers: { authorization: `Bearer ${await fixture.issuer.mint()}`, ...headers }, onData });
}

describe('streamed responses under revocation', () => {
  it('are checked at every 4 KiB written and cut with the X-Caracal-Revoked trailer', async () => {
    const store = createRevocationStore();
    const writes: boolean[] = [];
    let aborted = false;
    fixture.server = await listen(
      verifyNode(
        (request: CaracalIncomingMessage, response: ServerResponse) => {
          response.writeHead(200, { 'content-type': 'text/plain' });
          writes.push(response.write(Buffer.alloc(4096, 'a')));
          // Revoked between two writes; nothing is pushed, so the next 4 KiB boundary must notice.
          store.revoke({ edgeIds: [EDGE_ROOT] });
          for (let index = 0; index < 50; index++) writes.push(response.write('b'.repeat(100)));
          aborted = request.caracal?.signal.aborted === true;
          response.end('never sent');
        },
        { verifier: verifierWith(pollOnly(store)) },
      ),
    );
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.headers.trailer).toBe(REVOKED_TRAILER);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.body.length).toBe(8192);
    expect(response.body.subarray(4096).toString()).toBe('b'.repeat(4096));
    expect(response.trailers['x-caracal-revoked']).toBe(EDGE_ROOT);
    expect(response.complete).toBe(true);
    expect(aborted).toBe(true);
    expect(writes.at(-1)).toBe(false);
  });

  it('slices one large write so that the check still happens at every 4 KiB', async () => {
    const store = createRevocationStore();
    let written = 0;
    fixture.server = await listen(
      verifyNode(
        (_request: CaracalIncomingMessage, response: ServerResponse) => {
          response.write(Buffer.alloc(1000, 'x'));
          store.revoke({ sessionIds: [SESSION] });
          response.write(Buffer.alloc(64 * 1024, 'y'));
          written = 1000 + 64 * 1024;
          response.end();
        },
        { verifier: verifierWith(pollOnly(store)) },
      ),
    );
    const response = await call();
    expect(written).toBeGreaterThan(response.body.length);
    expect(response.body.length).toBe(4096);
    expect(response.trailers['x-caracal-revoked']).toBe(SESSION);
  });

  it('are cut by a pushed revocation even while nothing is being written', async () => {
    const store = createRevocationStore();
    let handlerSawAbort: unknown;
    fixture.server = await listen(
      verifyNode(
        async (request: CaracalIncomingMessage, response: ServerResponse) => {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write('data: first\n\n');
          const signal = request.caracal!.signal;
          // An idle stream: it only wakes when the mandate is revoked.
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          handlerSawAbort = signal.reason;
        },
        { verifier: verifierWith(store) },
      ),
    );
    const response = await call({}, () => store.revoke({ sessionIds: [SESSION] }));
    expect(response.body.toString()).toBe('data: first\n\n');
    expect(response.trailers['x-caracal-revoked']).toBe(SESSION);
    expect(handlerSawAbort).toMatchObject({ code: 'MANDATE_REVOKED' });
  });

  it('answer 401 when revoked before the response started', async () => {
    const store = createRevocationStore();
    fixture.server = await listen(
      verifyNode(
        async (request: CaracalIncomingMessage, response: ServerResponse) => {
          response.setHeader('content-type', 'text/plain');
          store.revoke({ sessionIds: [SESSION] });
          await new Promise((resolve) => request.caracal!.signal.addEventListener('abort', resolve, { once: true }));
          response.writeHead(200).end('too late');
        },
        { verifier: verifierWith(store) },
      ),
    );
    const response = await call();
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('invalid_token');
    expect(JSON.parse(response.body.toString())).toMatchObject({ error: 'invalid_token' });
  });

  it('leave ordinary responses alone: Content-Length, no trailer', async () => {
    const store = createRevocationStore();
    fixture.server = await listen(verifyNode((_request: CaracalIncomingMessage, response: ServerResponse) => response.end('x'.repeat(10_000)), { verifier: verifierWith(store) }));
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe('10000');
    expect(response.headers.trailer).toBeUndefined();
    expect(response.body.length).toBe(10_000);
  });

  it('close the connection of a fixed-length response, which cannot carry a trailer', async () => {
    const store = createRevocationStore();
    fixture.server = await listen(
      verifyNode(
        (_request: CaracalIncomingMessage, response: ServerResponse) => {
          response.writeHead(200, { 'content-length': String(16 * 1024) });
          response.write(Buffer.alloc(4096));
          store.revoke({ sessionIds: [SESSION] });
          response.write(Buffer.alloc(12 * 1024));
          response.end();
        },
        { verifier: verifierWith(pollOnly(store)) },
      ),
    );
    const response = await call();
    expect(response.complete).toBe(false);
    expect(response.body.length).toBeLessThan(16 * 1024);
  });

  it('stay unguarded when guardStreams is false', async () => {
    const store = createRevocationStore();
    fixture.server = await listen(
      verifyNode(
        (_request: CaracalIncomingMessage, response: ServerResponse) => {
          response.write(Buffer.alloc(4096));
          store.revoke({ sessionIds: [SESSION] });
          response.end(Buffer.alloc(8192));
        },
        { verifier: verifierWith(store), guardStreams: false },
      ),
    );
    const response = await call();
    expect(response.body.length).toBe(12_288);
    expect(response.headers.trailer).toBeUndefined();
  });
});
