import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_action_bodies';

/** The ways a client sends "no body": all of them must mean `{}` on an action route. */
const EMPTY_BODIES: Array<{ name: string; headers: Record<string, string>; payload?: string }> = [
  { name: 'a bare request (no body, no content type)', headers: {} },
  { name: 'Content-Type: application/json and an empty body', headers: { 'content-type': 'application/json' }, payload: '' },
  { name: 'Content-Type: application/json; charset=utf-8 and content-length 0', headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '0' } },
  // What `fetch(url, { method, body: '' })` sends.
  { name: 'Content-Type: text/plain and an empty body', headers: { 'content-type': 'text/plain;charset=UTF-8' }, payload: '' },
];

interface ActionRoute {
  name: string;
  /** Creates what the action acts on and returns where to send it. */
  prepare(): Promise<{ method: 'POST' | 'DELETE'; url: string }>;
  /** What the action answers when it took effect. */
  expected: Record<string, unknown>;
  /** Its success status, when not 200. */
  status?: number;
}

describe.each(testBackends())('action routes without a body on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, seats: 500, tokens: {
    token: { clientId: 'app_actions', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  async function created(url: string, body: Record<string, unknown>): Promise<Record<string, string>> {
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}${url}`, token: tokens.token, body });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  }
  const spawn = async () => (await created('/agents', {})).agent_session_id!;
  const invocation = async () => (await created('/invocations', { agent_session_id: await spawn(), operation: 'op' })).invocation_id!;
  const service = async () => (await created('/services', { name: `svc-${randomBytes(4).toString('hex')}` })).service_id!;
  /** Sets the stage with a request that has a JSON body `{}`, which has always been accepted. */
  const act = async (url: string) => {
    const response = await harness.call({ method: 'POST', url: `/zones/${ZONE}${url}`, token: tokens.token, body: {} });
    expect(response.statusCode, response.body).toBe(200);
  };

  const routes: ActionRoute[] = [
    {
      // Not an action, but every field of a spawn is optional too.
      name: 'POST …/agents (spawn)',
      prepare: async () => ({ method: 'POST', url: '/agents' }),
      expected: { agent_session_id: expect.stringMatching(/^agentsess_/), status: 'active' },
      status: 201,
    },
    {
      name: 'POST …/agents/{id}/suspend',
      prepare: async () => ({ method: 'POST', url: `/agents/${await spawn()}/suspend` }),
      expected: { suspended: 1 },
    },
    {
      name: 'POST …/agents/{id}/resume',
      prepare: async () => {
        const id = await spawn();
        await act(`/agents/${id}/suspend`);
        return { method: 'POST', url: `/agents/${id}/resume` };
      },
      expected: { resumed: 1 },
    },
    {
      name: 'DELETE …/agents/{id}',
      prepare: async () => ({ method: 'DELETE', url: `/agents/${await spawn()}` }),
      expected: { terminated_sessions: 1, revoked_edges: 0 },
    },
    {
      name: 'POST …/delegations/{id}/revoke',
      prepare: async () => {
        const edge = await created('/delegations', { source_session_id: await spawn(), target_session_id: await spawn(), scopes: ['tools:call'] });
        return { method: 'POST', url: `/delegations/${edge.delegation_edge_id}/revoke` };
      },
      expected: { revoked_edges: 1 },
    },
    {
      name: 'POST …/invocations/{id}/start',
      prepare: async () => ({ method: 'POST', url: `/invocations/${await invocation()}/start` }),
      expected: { status: 'running' },
    },
    {
      name: 'POST …/invocations/{id}/complete',
      prepare: async () => {
        const id = await invocation();
        await act(`/invocations/${id}/start`);
        return { method: 'POST', url: `/invocations/${id}/complete` };
      },
      expected: { status: 'succeeded' },
    },
    {
      name: 'POST …/invocations/{id}/cancel',
      prepare: async () => ({ method: 'POST', url: `/invocations/${await invocation()}/cancel` }),
      expected: { status: 'cancelled' },
    },
    {
      name: 'POST …/services/{id}/heartbeat',
      prepare: async () => ({ method: 'POST', url: `/services/${await service()}/heartbeat` }),
      expected: { status: 'healthy' },
    },
    {
      name: 'DELETE …/services/{id}',
      prepare: async () => ({ method: 'DELETE', url: `/services/${await service()}` }),
      expected: { deregistered: true },
    },
  ];
  const cases = routes.flatMap((route) => EMPTY_BODIES.map((body) => ({ route, body, label: `${route.name} with ${body.name}` })));

  it.each(cases)('accepts $label as {}', async ({ route, body }) => {
    const target = await route.prepare();
    const request: InjectOptions = {
      method: target.method,
      url: `/zones/${ZONE}${target.url}`,
      headers: { authorization: `Bearer ${tokens.token}`, ...body.headers },
      ...(body.payload === undefined ? {} : { payload: body.payload }),
    };
    const response = await harness.app.inject(request);
    expect(response.statusCode, response.body).toBe(route.status ?? 200);
    expect(response.json()).toMatchObject(route.expected);
  });

  it.each(routes)('still refuses malformed JSON on $name with a clean 400', async (route) => {
    const target = await route.prepare();
    const refuse = async (payload: string) => {
      const response = await harness.app.inject({
        method: target.method,
        url: `/zones/${ZONE}${target.url}`,
        headers: { authorization: `Bearer ${tokens.token}`, 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
      return response.json();
    };
    for (const payload of ['{', ' ', 'nul', '{"a":1}}']) {
      expect(await refuse(payload)).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/not valid JSON/) });
    }
    // Fields these routes do not take, and a body that is not an object, are refused too.
    for (const payload of ['{"extra":1}', '[]', 'null', '"text"']) {
      expect(await refuse(payload)).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
    }
  });

  it('keeps refusing an empty body where fields are required', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: `/zones/${ZONE}/delegations`,
      headers: { authorization: `Bearer ${tokens.token}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'body must be object' });
  });
});
