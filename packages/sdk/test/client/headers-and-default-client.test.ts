import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bind, Caracal, configure, defaultCaracal, delegate, exchange, headers, spawn, type CaracalContext } from '../../src/index.ts';
import { parseBaggage, parseTraceparent } from '../../src/propagation/index.ts';
import { startFakeCaracalServer, type FakeCaracalServer } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';

let server: FakeCaracalServer;

beforeAll(async () => {
  server = await startFakeCaracalServer();
});

afterAll(async () => {
  await defaultCaracal().close();
  await server.close();
});

const context: CaracalContext = {
  subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_h', delegationEdgeId: 'deledge_h', parentEdgeId: 'deledge_p',
  traceId: 'ef'.repeat(16), traceState: 'vendor=1', baggage: { tenant: 'acme' }, hop: 4,
};

describe('outbound headers', () => {
  it('carry the bearer, traceparent, tracestate and baggage of the current context', async () => {
    const { caracal } = testClient(server);
    const outbound = bind(context, () => caracal.headers());
    expect(outbound.authorization).toBe(`Bearer ${TOKEN}`);
    expect(parseTraceparent(outbound.traceparent ?? '')).toMatchObject({ traceId: context.traceId });
    expect(outbound.tracestate).toBe('vendor=1');
    const baggage = Object.fromEntries((parseBaggage(outbound.baggage ?? '') ?? []).map((entry) => [entry.key, entry.value]));
    expect(baggage).toMatchObject({ 'caracal.agent_session': 'agentsess_h', 'caracal.delegation_edge': 'deledge_h', 'caracal.hop': '4', tenant: 'acme' });
    // A fresh span id per call, the same trace.
    const again = bind(context, () => headers());
    expect(parseTraceparent(again.traceparent ?? '')?.spanId).not.toBe(parseTraceparent(outbound.traceparent ?? '')?.spanId);
    await caracal.close();
  });
});

describe('the default client', () => {
  it('is built from the environment on first use, naming missing variables', () => {
    vi.stubEnv('CARACAL_COORDINATOR_URL', '');
    vi.stubEnv('CARACAL_ZONE_ID', '');
    vi.stubEnv('CARACAL_CLIENT_ID', 'app_env');
    vi.stubEnv('CARACAL_CLIENT_SECRET', '');
    vi.stubEnv('CARACAL_SUBJECT_TOKEN', 'token');
    try {
      expect(() => defaultCaracal()).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', settings: ['CARACAL_COORDINATOR_URL', 'CARACAL_ZONE_ID'] }));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('configure() sets the client behind spawn, delegate and exchange', async () => {
    const configured = configure({ coordinatorUrl: server.url, zoneId: ZONE, clientId: CLIENT, subjectToken: TOKEN });
    expect(defaultCaracal()).toBe(configured);
    const result = await spawn({ kind: 'service' }, () => delegate({ to: 'agentsess_01jt0000000000000000000000', scopes: ['x'] }, async (child) => {
      const mandate = await exchange({ resource: 'mcp://tools.local' });
      return { child, mandate };
    }));
    expect(result.child).toMatchObject({ agentSessionId: 'agentsess_01jt0000000000000000000000', hop: 1 });
    expect(result.mandate.accessToken).toMatch(/^per-call-/);
    const instance = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: CLIENT, subjectToken: TOKEN });
    expect(configure(instance)).toBe(instance);
    await configured.close();
  });
});
