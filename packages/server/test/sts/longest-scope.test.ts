import { SCOPE_MAX_LENGTH } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { applyBootstrap } from '../../src/sts/bootstrap.ts';
import { testBackends } from '../helpers/backends.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, decodeClaims, injectTokenRequest } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

const LONGEST = `drift:${'s'.repeat(SCOPE_MAX_LENGTH - 'drift:'.length)}`;
const TOO_LONG = `${LONGEST}s`;
const RESOURCE = 'mcp://longest.test';

/**
 * One scope limit for the whole contract: a scope of the longest allowed length goes through
 * every entry that takes a scope (grant, request, delegation, exchange), and one character more
 * is refused at each of them with a 400 and the error shape, never accepted at one and refused
 * further along.
 */
describe.each(testBackends())('a scope of the longest allowed length on $name', (backend) => {
  // Granted through the bootstrap document.
  const suite = useStsSuite(backend, {
    zone: { applications: { orchestrator: { scopes: [LONGEST] }, worker: { scopes: [LONGEST] } }, resources: { [RESOURCE]: [LONGEST] } },
  });

  const call = async (options: { method: 'POST'; url: string; token: string; payload: Record<string, unknown> }) => {
    const response = await suite.sts.app.inject({
      method: options.method,
      url: options.url,
      headers: { authorization: `Bearer ${options.token}` },
      payload: options.payload,
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const admin = (url: string, payload: Record<string, unknown>) => call({ method: 'POST', url: `/admin/zones/${suite.zone.zoneId}${url}`, token: suite.sts.adminToken, payload });
  const coordinator = (token: string, url: string, payload: Record<string, unknown>) =>
    call({ method: 'POST', url: `/zones/${suite.zone.zoneId}${url}`, token, payload });

  const sessionToken = async (application: { id: string; secret: string }, scope?: string) =>
    injectTokenRequest(suite.sts.app, { grant_type: 'client_credentials', client_id: application.id, client_secret: application.secret, scope });
  const exchange = (form: Record<string, string>) =>
    injectTokenRequest(suite.sts.app, { grant_type: TOKEN_EXCHANGE_GRANT, subject_token_type: ACCESS_TOKEN_TYPE, resource: RESOURCE, ...form });

  /** An orchestrator session, a worker session, and an edge between them carrying `scopes`. */
  const delegation = async (scopes: string[]) => {
    const orchestratorToken = (await sessionToken(suite.zone.applications.orchestrator!)).body.access_token as string;
    const workerToken = (await sessionToken(suite.zone.applications.worker!)).body.access_token as string;
    const source = (await coordinator(orchestratorToken, '/agents', {})).body.agent_session_id as string;
    const target = (await coordinator(workerToken, '/agents', {})).body.agent_session_id as string;
    const edge = await coordinator(orchestratorToken, '/delegations', {
      source_session_id: source,
      target_session_id: target,
      receiver_application_id: suite.zone.applications.worker!.id,
      resource_id: RESOURCE,
      scopes,
      ttl_seconds: 3600,
    });
    return { edge, target, workerToken };
  };

  const expectRefused = (answer: { status: number; body: Record<string, unknown> }, error: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body).toEqual({ error, error_description: expect.any(String) });
  };

  it('is granted (bootstrap and admin API), requested, delegated and exchanged', async () => {
    expect(LONGEST).toHaveLength(SCOPE_MAX_LENGTH);
    const application = await admin('/applications', { scopes: [LONGEST] });
    expect(application.status, JSON.stringify(application.body)).toBe(201);
    expect(application.body.scopes).toEqual([LONGEST]);
    const resource = await admin('/resources', { identifier: 'mcp://longest-admin.test', scopes: [LONGEST] });
    expect(resource.status, JSON.stringify(resource.body)).toBe(201);

    for (const client of [suite.zone.applications.orchestrator!, { id: application.body.id as string, secret: application.body.client_secret as string }]) {
      const requested = await sessionToken(client, LONGEST);
      expect(requested.status, JSON.stringify(requested.body)).toBe(200);
      expect(requested.body.scope).toBe(`agent:lifecycle ${LONGEST}`);
    }

    const { edge, target, workerToken } = await delegation([LONGEST]);
    expect(edge.status, JSON.stringify(edge.body)).toBe(201);
    const edgeId = edge.body.delegation_edge_id as string;

    const exchanged = await exchange({ subject_token: workerToken, agent_session_id: target, delegation_edge_id: edgeId, scope: LONGEST });
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
    expect(exchanged.body.scope).toBe(LONGEST);
    expect(decodeClaims(exchanged.body.access_token as string)).toMatchObject({ scope: LONGEST, delegation_edge_id: edgeId, aud: RESOURCE });
  });

  it('one character more is refused with a 400 at each entry', async () => {
    await expect(
      applyBootstrap(suite.sts.context, { zones: [{ id: suite.zone.zoneId, applications: [{ id: 'app_too_long', secret: 'too-long-secret', scopes: [TOO_LONG] }] }] }),
    ).rejects.toThrow(/scope/);
    expectRefused(await admin('/applications', { scopes: [TOO_LONG] }), 'invalid_request');
    expectRefused(await admin('/resources', { identifier: 'mcp://too-long.test', scopes: [TOO_LONG] }), 'invalid_request');
    expectRefused(await sessionToken(suite.zone.applications.orchestrator!, TOO_LONG), 'invalid_scope');
    const { edge, target, workerToken } = await delegation([TOO_LONG]);
    expectRefused(edge, 'invalid_request');
    expectRefused(await exchange({ subject_token: workerToken, agent_session_id: target, scope: TOO_LONG }), 'invalid_scope');
  });
});
