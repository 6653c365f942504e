import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { TOOLS_RESOURCE, injectExchange, insertAgentSession, insertDelegationEdge } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

/**
 * Revocation takes effect at once: the exchange reads session and edge state in the same
 * statement that decides, so the first exchange after a suspend, terminate or revoke commits is
 * refused. Sessions and edges go through the Coordinator's own routes.
 */
describe.each(testBackends())('revocation at the token endpoint on $name', (backend) => {
  const suite = useStsSuite(backend, { sessionTokens: true });

  const coordinator = async (method: 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
    const response = await suite.sts.app.inject({
      method,
      url: `/zones/${suite.zone.zoneId}${url}`,
      headers: { authorization: `Bearer ${suite.orchestratorToken}` },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json() as Record<string, unknown>;
  };

  const spawn = async (parentId?: string): Promise<string> =>
    (await coordinator('POST', '/agents', parentId === undefined ? {} : { parent_id: parentId })).agent_session_id as string;

  const exchange = (subjectToken: string, form: Record<string, string>) =>
    injectExchange(suite.sts.app, subjectToken, {
      resource: TOOLS_RESOURCE,
      scope: 'tools:read',
      ...form,
    });

  it('suspend blocks the very next exchange, resume restores it, terminate ends it for good', async () => {
    const sessionId = await spawn();
    expect((await exchange(suite.orchestratorToken, { agent_session_id: sessionId })).status).toBe(200);
    await coordinator('POST', `/agents/${sessionId}/suspend`);
    const suspended = await exchange(suite.orchestratorToken, { agent_session_id: sessionId });
    expect(suspended.status).toBe(403);
    expect(suspended.body.error).toBe('access_denied');
    await coordinator('POST', `/agents/${sessionId}/resume`);
    expect((await exchange(suite.orchestratorToken, { agent_session_id: sessionId })).status).toBe(200);
    await coordinator('DELETE', `/agents/${sessionId}`);
    expect((await exchange(suite.orchestratorToken, { agent_session_id: sessionId })).body.error).toBe('access_denied');
  });

  it('suspending or terminating a parent blocks its whole subtree at once', async () => {
    const parent = await spawn();
    const child = await spawn(parent);
    expect((await exchange(suite.orchestratorToken, { agent_session_id: child })).status).toBe(200);
    await coordinator('POST', `/agents/${parent}/suspend`);
    expect((await exchange(suite.orchestratorToken, { agent_session_id: child })).body.error).toBe('access_denied');
    await coordinator('POST', `/agents/${parent}/resume`);
    expect((await exchange(suite.orchestratorToken, { agent_session_id: child })).status).toBe(200);
    await coordinator('DELETE', `/agents/${parent}`);
    expect((await exchange(suite.orchestratorToken, { agent_session_id: child })).body.error).toBe('access_denied');
  });

  const workerSpawn = async (): Promise<string> => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url: `/zones/${suite.zone.zoneId}/agents`,
      headers: { authorization: `Bearer ${suite.workerToken}` },
      payload: {},
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { agent_session_id: string }).agent_session_id;
  };

  const delegate = async (token: string, body: Record<string, unknown>): Promise<string> => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url: `/zones/${suite.zone.zoneId}/delegations`,
      headers: { authorization: `Bearer ${token}` },
      payload: { scopes: ['tools:read'], ttl_seconds: 3600, receiver_application_id: suite.zone.applications.worker!.id, ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { delegation_edge_id: string }).delegation_edge_id;
  };

  it('terminating the delegator stops exchanges through its edge', async () => {
    const delegator = await spawn();
    const target = await workerSpawn();
    const edgeId = await delegate(suite.orchestratorToken, { source_session_id: delegator, target_session_id: target });
    const form = { agent_session_id: target, delegation_edge_id: edgeId };
    expect((await exchange(suite.workerToken, form)).status).toBe(200);
    await coordinator('DELETE', `/agents/${delegator}`);
    const refused = await exchange(suite.workerToken, form);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('access_denied');
  });

  it('revoking an edge refuses the very next exchange through it and through everything below it', async () => {
    const root = await spawn();
    const middle = await workerSpawn();
    const leaf = await workerSpawn();
    const first = await delegate(suite.orchestratorToken, { source_session_id: root, target_session_id: middle });
    const second = await delegate(suite.workerToken, { source_session_id: middle, target_session_id: leaf, parent_edge_id: first });
    const form = { agent_session_id: leaf, delegation_edge_id: second };
    expect((await exchange(suite.workerToken, form)).status).toBe(200);
    expect((await exchange(suite.workerToken, { agent_session_id: middle, delegation_edge_id: first })).status).toBe(200);
    const revoked = await coordinator('POST', `/delegations/${first}/revoke`);
    expect(revoked.revoked_edges).toBeGreaterThanOrEqual(1);
    for (const refused of [await exchange(suite.workerToken, form), await exchange(suite.workerToken, { agent_session_id: middle, delegation_edge_id: first })]) {
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('access_denied');
    }
  });

  it('a revoked ancestor refuses on its own, even if nothing downstream was touched', async () => {
    const database = suite.sts.context.database;
    const now = suite.sts.clock.now();
    const worker = suite.zone.applications.worker!.id;
    const root = await spawn();
    const middle = await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: worker, now });
    const leaf = await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: worker, now });
    const common = { zoneId: suite.zone.zoneId, receiverApplicationId: worker, scopes: ['tools:read'], expiresAt: new Date(now + 3600_000), now };
    const first = await insertDelegationEdge(database, { ...common, sourceSessionId: root, targetSessionId: middle, issuerApplicationId: suite.zone.applications.orchestrator!.id });
    const second = await insertDelegationEdge(database, { ...common, sourceSessionId: middle, targetSessionId: leaf, issuerApplicationId: worker, parentEdgeId: first });
    const form = { agent_session_id: leaf, delegation_edge_id: second };
    expect((await exchange(suite.workerToken, form)).status).toBe(200);
    // Only the ancestor's row changes (as a partial or racing revocation could leave it).
    await database.query(`UPDATE delegation_edges SET status = 'revoked', revoked_at = now() WHERE id = $1`, [first]);
    const refused = await exchange(suite.workerToken, form);
    expect(refused.status).toBe(403);
    expect(refused.body.error_description).toContain(first);
  });
});
