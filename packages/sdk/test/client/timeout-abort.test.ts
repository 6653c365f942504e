import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bind, type CaracalContext } from '../../src/index.ts';
import { createFakeClock } from '../support/fake-clock.ts';
import { sendJson, startFakeCaracalServer, type FakeCaracalServer } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';

let server: FakeCaracalServer;
/** Requests the server has received but not answered (it answers when told). */
let arrived: Promise<void>;
let signalArrival: () => void;

beforeEach(async () => {
  server = await startFakeCaracalServer();
  arrived = new Promise((resolve) => (signalArrival = resolve));
  server.route('POST /zones/*/agents', () => signalArrival()); // never answers
});

afterEach(async () => {
  await server.close();
});

describe('timeouts and cancellation', () => {
  it('times out an attempt with REQUEST_TIMEOUT', async () => {
    // A real (short) timer here: the timeout itself is what is under test.
    const { caracal } = testClient(server, { timeoutMs: 50, retry: { retries: 0 } });
    await expect(caracal.spawn({}, () => {})).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', attempt: 1 });
    await caracal.close();
  });

  it('retries timed-out idempotent creates with the same key', async () => {
    const { caracal, clock } = testClient(server, { timeoutMs: 50, retry: { retries: 1, minDelayMs: 5 } });
    await expect(caracal.spawn({}, () => {})).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', attempt: 2 });
    const keys = server.requestsTo('POST /zones/*/agents').map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(clock.sleeps).toEqual([5]);
    await caracal.close();
  });

  it('aborts an in-flight request with REQUEST_ABORTED when the caller\'s signal fires', async () => {
    const { caracal } = testClient(server);
    const controller = new AbortController();
    const spawning = caracal.spawn({ signal: controller.signal }, () => {});
    await arrived;
    controller.abort(new Error('user cancelled'));
    const error = await spawning.catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'REQUEST_ABORTED' });
    expect(server.requestsTo('POST /zones/*/agents')).toHaveLength(1);
    await caracal.close();
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { caracal } = testClient(server);
    await expect(caracal.spawn({ signal: AbortSignal.abort() }, () => {})).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
    expect(server.requests).toHaveLength(0);
    await caracal.close();
  });

  it('aborts during a retry wait', async () => {
    server.route('POST /zones/*/delegations', (_request, response) => {
      sendJson(response, 503, { error: 'unavailable', error_description: 'busy' });
      signalArrival();
    });
    const clock = createFakeClock({ hold: true });
    const { caracal } = testClient(server, { clock });
    const controller = new AbortController();
    const context: CaracalContext = { subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_a', hop: 0 };
    const delegating = bind(context, () => caracal.delegate({ to: 'agentsess_01jb0000000000000000000000', scopes: ['x'], signal: controller.signal }, () => {}));
    await arrived;
    await expect.poll(() => clock.sleeps.length).toBe(1);
    controller.abort();
    await expect(delegating).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
    expect(server.requestsTo('POST /zones/*/delegations')).toHaveLength(1);
    await caracal.close();
  });
});
