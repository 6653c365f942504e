import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bind, type CaracalContext } from '../../src/index.ts';
import { sendJson, startFakeCaracalServer, type FakeCaracalServer, type Handler } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';

let server: FakeCaracalServer;

beforeEach(async () => {
  server = await startFakeCaracalServer();
});

afterEach(async () => {
  await server.close();
});

/** Answers with each handler in turn, then with the last one forever. */
function sequence(...handlers: Handler[]): Handler {
  let index = 0;
  return (request, response, raw) => handlers[Math.min(index++, handlers.length - 1)]?.(request, response, raw);
}

const unavailable: Handler = (_request, response) => sendJson(response, 503, { error: 'unavailable', error_description: 'restarting' });
const reset: Handler = (_request, _response, raw) => void raw.socket.destroy();
const created: Handler = (_request, response) => sendJson(response, 201, { agent_session_id: 'agentsess_final', delegation_edge_id: null });

describe('retries', () => {
  it('repeats a create on 503, 429 and a connection reset with the SAME idempotency key', async () => {
    server.route('POST /zones/*/agents', sequence(
      unavailable,
      (_request, response) => sendJson(response, 429, { error: 'rate_limited', error_description: 'slow down' }, { 'retry-after': '2' }),
      reset,
      created,
    ));
    const { caracal, clock } = testClient(server, { retry: { minDelayMs: 100, factor: 2 } });
    const sessionId = await caracal.spawn({}, (context) => context.agentSessionId);
    expect(sessionId).toBe('agentsess_final');
    const keys = server.requestsTo('POST /zones/*/agents').map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    // Backoff 100, then Retry-After 2 s wins over 200, then 400.
    expect(clock.sleeps).toEqual([100, 2000, 400]);
    await caracal.close();
  });

  it('uses a caller-supplied idempotency key', async () => {
    server.route('POST /zones/*/agents', sequence(unavailable, created));
    const { caracal } = testClient(server);
    await caracal.spawn({ idempotencyKey: 'spawn-order-17' }, () => {});
    expect(server.requestsTo('POST /zones/*/agents').map((request) => request.headers['idempotency-key'])).toEqual(['spawn-order-17', 'spawn-order-17']);
    await caracal.close();
  });

  it('honours Retry-After given as an HTTP-date, against the injected clock', async () => {
    const { caracal, clock } = testClient(server, { retry: { minDelayMs: 10 } });
    const retryAt = new Date(clock.now() + 7000).toUTCString();
    server.route('POST /zones/*/delegations', sequence(
      (_request, response) => sendJson(response, 503, { error: 'unavailable', error_description: 'busy' }, { 'retry-after': retryAt }),
      (_request, response) => sendJson(response, 201, { delegation_edge_id: 'deledge_1' }),
    ));
    const context: CaracalContext = { subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_a', hop: 0 };
    await bind(context, () => caracal.delegate({ to: 'agentsess_01jb0000000000000000000000', scopes: ['x'] }, () => {}));
    expect(clock.sleeps).toEqual([7000]);
    const keys = server.requestsTo('POST /zones/*/delegations').map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);
    await caracal.close();
  });

  it('does not retry a 400, and the error carries status, serverCode and requestId', async () => {
    server.route('POST /zones/*/agents', (_request, response) =>
      sendJson(response, 400, { error: 'invalid_request', error_description: 'ttl_seconds too large' }, { 'x-request-id': 'req_400' }));
    const { caracal, clock } = testClient(server);
    const error = await caracal.spawn({}, () => {}).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ name: 'CaracalError', code: 'REQUEST_FAILED', status: 400, serverCode: 'invalid_request', requestId: 'req_400', attempt: 1 });
    expect((error as Error).message).toContain('ttl_seconds too large');
    expect(server.requestsTo('POST /zones/*/agents')).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    await caracal.close();
  });

  it('gives up after the policy\'s retries with the last typed error', async () => {
    server.route('POST /zones/*/agents', unavailable);
    const { caracal } = testClient(server, { retry: { retries: 2 } });
    await expect(caracal.spawn({}, () => {})).rejects.toMatchObject({ code: 'SERVER_ERROR', status: 503, serverCode: 'unavailable', attempt: 3 });
    expect(server.requestsTo('POST /zones/*/agents')).toHaveLength(3);
    await caracal.close();
  });

  it('stops instead of waiting when Retry-After is longer than maxRetryAfterMs', async () => {
    server.route('POST /zones/*/agents', (_request, response) => sendJson(response, 429, { error: 'rate_limited', error_description: 'later' }, { 'retry-after': '3600' }));
    const { caracal, clock } = testClient(server);
    await expect(caracal.spawn({}, () => {})).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3_600_000 });
    expect(clock.sleeps).toEqual([]);
    await caracal.close();
  });

  it('retries a session DELETE (idempotent) on a network reset', async () => {
    server.route('DELETE /zones/*/agents/*', sequence(reset, (_request, response) => sendJson(response, 200, { terminated_sessions: 1, revoked_edges: 0 })));
    const { caracal } = testClient(server);
    await caracal.spawn({}, () => {});
    expect(server.requestsTo('DELETE /zones/*/agents/*')).toHaveLength(2);
    await caracal.close();
  });

  it('never repeats a token exchange (not idempotent) after a 500, but does after a 503', async () => {
    const { caracal } = testClient(server);
    const context: CaracalContext = { subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_a', hop: 0 };
    server.route('POST /oauth/2/token', (_request, response) => sendJson(response, 500, { error: 'server_error', error_description: 'boom' }));
    await expect(bind(context, () => caracal.exchange({ resource: 'mcp://tools' }))).rejects.toMatchObject({ code: 'SERVER_ERROR', status: 500 });
    expect(server.requestsTo('POST /oauth/2/token')).toHaveLength(1);
    server.route('POST /oauth/2/token', sequence(unavailable, (_request, response) => sendJson(response, 200, { access_token: 'per-call', token_type: 'Bearer', expires_in: 60 })));
    await expect(bind(context, () => caracal.exchange({ resource: 'mcp://tools' }))).resolves.toMatchObject({ accessToken: 'per-call' });
    expect(server.requestsTo('POST /oauth/2/token')).toHaveLength(3);
    await caracal.close();
  });
});
