import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bind } from '../../src/context/bind.ts';
import { isCaracalError } from '../../src/errors.ts';
import { systemClock, type Clock } from '../../src/time/clock.ts';
import { createA2AFetch, type A2AFetchOptions } from '../../src/transport/a2a/index.ts';
import { agentContext, SESSION_TOKEN, until } from './helpers/contexts.ts';
import { json, startRecordingServer, type RecordingServer, type Responder } from './helpers/recording-server.ts';
import { startStsStandIn, type StsStandIn } from './helpers/sts-stand-in.ts';
import { stsExchanger } from './helpers/sts-exchanger.ts';

const RESOURCE = 'https://billing-agent.internal';

let sts: StsStandIn;
let agent: RecordingServer;
let exchanger: ReturnType<typeof stsExchanger>;

/** Records each wait the transport asks for (backoff and timeout) while time stays fake. */
const waits: number[] = [];
const observedClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    waits.push(ms);
    return systemClock.sleep(ms, signal);
  },
};

beforeAll(async () => {
  sts = await startStsStandIn({ sessionTokens: [SESSION_TOKEN] });
  exchanger = stsExchanger(sts.url);
  agent = await startRecordingServer();
});

afterAll(async () => {
  await agent.close();
  await exchanger.close();
  await sts.close();
});

beforeEach(() => {
  // Only the timers the transport waits on are faked; sockets and setImmediate stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  agent.requests.length = 0;
  waits.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

const message = {
  jsonrpc: '2.0',
  id: 1,
  method: 'SendMessage',
  params: { message: { messageId: 'msg-7f3a', role: 'ROLE_USER', parts: [{ text: 'invoice 42' }] } },
};

function a2aFetch(options: Partial<A2AFetchOptions> = {}): ReturnType<typeof createA2AFetch> {
  return createA2AFetch({ caracal: exchanger, resource: RESOURCE, clock: observedClock, random: () => 0, ...options });
}

function send(fetchImpl: ReturnType<typeof createA2AFetch>, init: RequestInit = {}): Promise<Response> {
  return bind(agentContext, () =>
    fetchImpl(`${agent.url}/a2a/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SESSION_TOKEN}` },
      body: JSON.stringify(message),
      ...init,
    }),
  );
}

function sequence(...steps: Responder[]): Responder {
  return (request, response, index) => (steps[Math.min(index, steps.length - 1)] as Responder)(request, response, index);
}

const status = (code: number, headers: Record<string, string> = {}): Responder => (_request, response) => json(response, code, { error: 'x' }, headers);
const ok: Responder = (request, response) => json(response, 200, { jsonrpc: '2.0', id: (JSON.parse(request.body) as { id: number }).id, result: {} });
const hang: Responder = () => undefined;

/** Lets the pending backoff wait (the latest recorded one) elapse. */
async function elapseWait(count: number): Promise<number> {
  await until(() => waits.length >= count, `wait #${count}`);
  const ms = waits[count - 1] as number;
  await vi.advanceTimersByTimeAsync(ms);
  return ms;
}

describe('createA2AFetch', () => {
  it('retries two 503s with a fresh mandate per attempt and the same message, then succeeds', async () => {
    agent.respond = sequence(status(503), status(503), ok);
    const pending = send(a2aFetch());
    await elapseWait(2); // waits[0] is the 30 s budget; waits[1] the first backoff
    await elapseWait(3);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(agent.requests).toHaveLength(3);
    const tokens = agent.requests.map((request) => String(request.headers.authorization));
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) expect(sts.mandate(token.replace('Bearer ', ''))?.form.resource).toBe(RESOURCE);
    expect(new Set(agent.requests.map((request) => request.body))).toEqual(new Set([JSON.stringify(message)]));
    for (const request of agent.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(SESSION_TOKEN);
      expect(request.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(request.headers.baggage).toContain('caracal.agent_session=agentsess_01');
    }
    // Exponential backoff: 200 ms, then 400 ms (jitter drawn as 0 here).
    expect(waits.slice(1)).toEqual([200, 400]);
  });

  it.each([400, 404])('does not retry a %i', async (code) => {
    agent.respond = sequence(status(code), ok);
    const response = await send(a2aFetch());
    expect(response.status).toBe(code);
    expect(agent.requests).toHaveLength(1);
  });

  it.each([
    [401, 'UNAUTHORIZED', 'invalid_token', 'the mandate was revoked'],
    [403, 'FORBIDDEN', 'insufficient_scope', 'the mandate lacks scope tools:call'],
  ])('rejects a %i with the refusal code and reason of the receiver, without retrying', async (code, caracalCode, error, description) => {
    agent.respond = sequence((_request, response) => json(response, code, { error, error_description: description }, { 'x-request-id': 'req_7' }), ok);
    const failure = await send(a2aFetch()).catch((thrown: unknown) => thrown);
    expect(failure).toMatchObject({ code: caracalCode, status: code, serverCode: error, requestId: 'req_7' });
    expect(String((failure as Error).message)).toContain(`(${error}): ${description}`);
    expect(agent.requests).toHaveLength(1);
  });

  it('reads the refusal from WWW-Authenticate when the body is not JSON', async () => {
    agent.respond = (_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token", error_description="the mandate has expired"', 'content-type': 'text/plain' });
      response.end('no');
    };
    await expect(send(a2aFetch())).rejects.toMatchObject({ code: 'UNAUTHORIZED', serverCode: 'invalid_token', message: expect.stringContaining('the mandate has expired') });
  });

  it.each([408, 425, 429, 500, 502, 504])('retries a %i', async (code) => {
    agent.respond = sequence(status(code), ok);
    const pending = send(a2aFetch());
    await elapseWait(2);
    expect((await pending).status).toBe(200);
    expect(agent.requests).toHaveLength(2);
  });

  it('returns the last response when retries run out', async () => {
    agent.respond = status(503);
    const pending = send(a2aFetch({ retries: 1 }));
    await elapseWait(2);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(agent.requests).toHaveLength(2);
  });

  it('honours Retry-After in seconds: nothing is sent before it elapses', async () => {
    agent.respond = sequence(status(503, { 'retry-after': '3' }), ok);
    const pending = send(a2aFetch());
    await until(() => waits.length >= 2, 'the backoff wait');
    expect(waits[1]).toBe(3000);
    await vi.advanceTimersByTimeAsync(2999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(agent.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
    expect(agent.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    agent.respond = sequence((_request, response) => json(response, 429, {}, { 'retry-after': new Date(Date.now() + 5000).toUTCString() }), ok);
    const pending = send(a2aFetch());
    await until(() => waits.length >= 2, 'the backoff wait');
    // HTTP dates have whole seconds, so the wait is at most 5 s and more than 4 s.
    expect(waits[1]).toBeGreaterThan(4000);
    expect(waits[1]).toBeLessThanOrEqual(5000);
    await vi.advanceTimersByTimeAsync(waits[1] as number);
    expect((await pending).status).toBe(200);
  });

  it('gives up at once when Retry-After is past the time budget', async () => {
    agent.respond = sequence(status(503, { 'retry-after': '120' }), ok);
    const response = await send(a2aFetch());
    expect(response.status).toBe(503);
    expect(agent.requests).toHaveLength(1);
  });

  it('holds the 30 s budget across attempts and waits, aborting the attempt in flight', async () => {
    agent.respond = sequence(status(503, { 'retry-after': '20' }), hang);
    const pending = send(a2aFetch());
    const outcome = pending.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await elapseWait(2); // 20 s Retry-After
    await until(() => agent.requests.length === 2, 'the second attempt');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(isCaracalError(error) && error.code).toBe('REQUEST_TIMEOUT');
    await until(() => agent.requests[1]?.aborted === true, 'the hanging attempt to be aborted');
  });

  it('counts a stalled token exchange against the budget and aborts it', async () => {
    sts.stallNext = 1;
    const outcome = send(a2aFetch({ timeoutMs: 5000 })).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await until(() => waits.length >= 1, 'the budget timer');
    await vi.advanceTimersByTimeAsync(4999);
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(isCaracalError(error) && error.code).toBe('REQUEST_TIMEOUT');
    expect(agent.requests).toHaveLength(0);
  });

  it('stops when the caller aborts, even mid-backoff', async () => {
    agent.respond = status(503);
    const controller = new AbortController();
    const pending = send(a2aFetch(), { signal: controller.signal });
    const outcome = pending.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await until(() => waits.length >= 2, 'the backoff wait');
    controller.abort();
    const error = await outcome;
    expect(isCaracalError(error) && error.code).toBe('REQUEST_ABORTED');
    expect(agent.requests).toHaveLength(1);
  });

  it('retries a lost connection, then succeeds', async () => {
    agent.respond = sequence((_request, response) => response.socket?.destroy(), ok);
    const pending = send(a2aFetch());
    await elapseWait(2);
    expect((await pending).status).toBe(200);
    expect(agent.requests).toHaveLength(2);
  });

  it('throws NETWORK_ERROR once lost connections exhaust the retries', async () => {
    agent.respond = (_request, response) => response.socket?.destroy();
    const outcome = send(a2aFetch({ retries: 1 })).catch((error: unknown) => error);
    await elapseWait(2);
    const error = await outcome;
    expect(isCaracalError(error) && [error.code, error.attempt]).toEqual(['NETWORK_ERROR', 2]);
  });

  it('repeats only what the agent cannot have acted on when idempotent is false', async () => {
    agent.respond = sequence(status(500), ok);
    expect((await send(a2aFetch({ idempotent: false }))).status).toBe(500);
    agent.requests.length = 0;
    waits.length = 0;
    agent.respond = sequence(status(503), ok);
    const pending = send(a2aFetch({ idempotent: false }));
    await elapseWait(2);
    expect((await pending).status).toBe(200);
  });

  it('sends the agent-card GET through the same exchange', async () => {
    agent.respond = (_request, response) => json(response, 200, { name: 'billing' });
    const fetchImpl = a2aFetch();
    const response = await bind(agentContext, () => fetchImpl(new URL('/.well-known/agent-card.json', agent.url)));
    expect(await response.json()).toEqual({ name: 'billing' });
    const token = String(agent.requests[0]?.headers.authorization).replace('Bearer ', '');
    expect(sts.mandate(token)?.form.resource).toBe(RESOURCE);
  });

  it('fails closed outside a context', async () => {
    const error: unknown = await a2aFetch()(`${agent.url}/a2a/jsonrpc`, { method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
    expect(isCaracalError(error) && error.code).toBe('NO_ACTIVE_CONTEXT');
    expect(agent.requests).toHaveLength(0);
  });

  it('does not retry a refused exchange, and never sends the request', async () => {
    sts.failNext.push(400);
    const error: unknown = await send(a2aFetch()).catch((caught: unknown) => caught);
    expect(isCaracalError(error) && error.code).toBe('TOKEN_EXCHANGE_FAILED');
    expect(agent.requests).toHaveLength(0);
  });

  it('rejects bad options at creation', () => {
    expect(() => createA2AFetch({ caracal: exchanger, resource: '' })).toThrow(/resource/);
    expect(() => createA2AFetch({ caracal: exchanger, resource: RESOURCE, retries: -1 })).toThrow(/retries/);
    expect(() => createA2AFetch({ caracal: exchanger, resource: RESOURCE, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
