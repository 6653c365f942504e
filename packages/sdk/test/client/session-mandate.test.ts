import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bind, type Caracal, type CaracalContext } from '../../src/index.ts';
import { createFakeClock } from '../support/fake-clock.ts';
import { sendJson, startFakeCaracalServer, type FakeCaracalServer, type Handler } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient } from '../support/test-client.ts';

let server: FakeCaracalServer;
let issued = 0;

/** Issues `session-<n>` tokens living `expiresIn` seconds. */
function tokenEndpoint(expiresIn: number): Handler {
  return (_request, response) => sendJson(response, 200, { access_token: `session-${++issued}`, token_type: 'Bearer', expires_in: expiresIn, scope: 'agent:lifecycle' });
}

beforeEach(async () => {
  issued = 0;
  server = await startFakeCaracalServer();
});

afterEach(async () => {
  await server.close();
});

function secretClient(): { caracal: Caracal; clock: ReturnType<typeof createFakeClock> } {
  return testClient(server, { clientSecret: 'shh', stsUrl: `${server.url}/` }) as { caracal: Caracal; clock: ReturnType<typeof createFakeClock> };
}

describe('the session mandate from client_credentials', () => {
  it('is requested with a form-encoded client_credentials grant and used as the Coordinator bearer and context token', async () => {
    server.route('POST /oauth/2/token', tokenEndpoint(3600));
    const { caracal } = secretClient();
    const token = await caracal.spawn({}, (context) => context.subjectToken);
    const [request] = server.requestsTo('POST /oauth/2/token');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.form).toEqual({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: 'shh' });
    expect(token).toBe('session-1');
    expect(server.requestsTo('POST /zones/*/agents')[0]?.headers.authorization).toBe('Bearer session-1');
    await caracal.close();
  });

  it('is cached, then refreshed before expiry (at 80 % of a long lifetime)', async () => {
    server.route('POST /oauth/2/token', tokenEndpoint(3600));
    const { caracal, clock } = secretClient();
    await caracal.spawn({}, () => {});
    await caracal.spawn({}, () => {});
    expect(await caracal.sessionMandate()).toBe('session-1');
    expect(server.requestsTo('POST /oauth/2/token')).toHaveLength(1);
    clock.advance(2879_000);
    expect(await caracal.sessionMandate()).toBe('session-1');
    clock.advance(1000); // 2880 s = 80 % of 3600 s
    expect(await caracal.sessionMandate()).toBe('session-2');
    expect(server.requestsTo('POST /oauth/2/token')).toHaveLength(2);
    await caracal.close();
  });

  it('refreshes a short-lived mandate 30 s before expiry', async () => {
    server.route('POST /oauth/2/token', tokenEndpoint(90));
    const { caracal, clock } = secretClient();
    await caracal.sessionMandate();
    clock.advance(59_999);
    expect(await caracal.sessionMandate()).toBe('session-1');
    clock.advance(1);
    expect(await caracal.sessionMandate()).toBe('session-2');
    await caracal.close();
  });

  it('shares one in-flight request among concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let seen!: () => void;
    const arrived = new Promise<void>((resolve) => (seen = resolve));
    server.route('POST /oauth/2/token', async (request, response, raw) => {
      seen();
      await gate;
      await tokenEndpoint(3600)(request, response, raw);
    });
    const { caracal } = secretClient();
    const tokens = Promise.all(Array.from({ length: 25 }, () => caracal.sessionMandate()));
    const spawns = Promise.all(Array.from({ length: 5 }, () => caracal.spawn({}, (context) => context.subjectToken)));
    await arrived;
    release();
    expect(new Set(await tokens)).toEqual(new Set(['session-1']));
    expect(new Set(await spawns)).toEqual(new Set(['session-1']));
    expect(server.requestsTo('POST /oauth/2/token')).toHaveLength(1);
    await caracal.close();
  });

  it('keeps using a still-valid mandate when a refresh fails, and fails once it has expired', async () => {
    server.route('POST /oauth/2/token', tokenEndpoint(100));
    const { caracal, clock } = testClient(server, { clientSecret: 'shh', retry: { retries: 0 }, clock: createFakeClock() });
    await caracal.sessionMandate();
    server.route('POST /oauth/2/token', (_request, response) => sendJson(response, 401, { error: 'invalid_client', error_description: 'secret rotated' }));
    clock.advance(60_000);
    expect(await caracal.sessionMandate()).toBe('session-1');
    clock.advance(40_000);
    await expect(caracal.sessionMandate()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401, serverCode: 'invalid_client' });
    await caracal.close();
  });

  it('a caller\'s abort ends only its own wait', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.route('POST /oauth/2/token', async (request, response, raw) => {
      await gate;
      await tokenEndpoint(3600)(request, response, raw);
    });
    const { caracal } = secretClient();
    const controller = new AbortController();
    const impatient = caracal.sessionMandate({ signal: controller.signal });
    const patient = caracal.sessionMandate();
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ code: 'REQUEST_ABORTED' });
    release();
    await expect(patient).resolves.toBe('session-1');
    await caracal.close();
  });

  it('calls a tokenSource whenever a token is needed', async () => {
    let calls = 0;
    const { caracal } = testClient(server, { tokenSource: async () => `sourced-${++calls}` });
    // Without the run's timeline events, whose post would ask the source once more.
    const token = await caracal.spawn({ recordRun: false }, (context) => context.subjectToken);
    expect(token).toBe('sourced-1');
    // Not cached by the SDK: the create and the delete each asked the source again.
    expect(server.requestsTo('POST /zones/*/agents')[0]?.headers.authorization).toBe('Bearer sourced-2');
    expect(server.requestsTo('DELETE /zones/*/agents/*')[0]?.headers.authorization).toBe('Bearer sourced-3');
    await caracal.close();
  });

  it('is what headers() presents in a long-running spawn: the current mandate, not the one the context began with', async () => {
    server.route('POST /oauth/2/token', tokenEndpoint(3600));
    const { caracal, clock } = secretClient();
    await caracal.spawn({}, async (context) => {
      expect(context.subjectToken).toBe('session-1');
      expect(caracal.headers().authorization).toBe('Bearer session-1');
      clock.advance(2880_000); // the refresh is due: still valid, so it serves while a refresh starts
      expect(caracal.headers().authorization).toBe('Bearer session-1');
      expect(await caracal.sessionMandate()).toBe('session-2'); // the refresh headers() started
      expect(caracal.headers().authorization).toBe('Bearer session-2');
      expect(context.subjectToken).toBe('session-1');
    });
    expect(server.requestsTo('POST /oauth/2/token')).toHaveLength(2);
    // A context another application's mandate was bound from keeps its own token.
    const callers: CaracalContext = { subjectToken: 'callers-mandate', zoneId: 'zone_test', clientId: 'app_caller', agentSessionId: 'agentsess_c', hop: 1 };
    expect(bind(callers, () => caracal.headers()).authorization).toBe('Bearer callers-mandate');
    await caracal.close();
  });
});
