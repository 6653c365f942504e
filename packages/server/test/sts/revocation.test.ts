import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import {
  ACCESS_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  TOOLS_RESOURCE,
  bootstrapZone,
  buildStsTestApp,
  injectTokenRequest,
  insertAgentSession,
  insertDelegationEdge,
  type StsTestApp,
  type ZoneFixture,
} from '../helpers/sts-fixtures.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/**
 * Revocation takes effect at once: the exchange reads session and edge state in the same
 * statement that decides, so the first exchange after a suspend, terminate or revoke commits is
 * refused. Sessions go through the Coordinator's own routes.
 */
describe.each(testBackends())('revocation at the token endpoint on $name', (backend) => {
  let sts: StsTestApp;
  let zone: ZoneFixture;
  let orchestratorToken: string;
  let workerToken: string;

  const sessionToken = async (application: { id: string; secret: string }) =>
    (await injectTokenRequest(sts.app, { grant_type: 'client_credentials', client_id: application.id, client_secret: application.secret })).body
      .access_token as string;

  beforeAll(async () => {
    sts = await buildStsTestApp(backend);
    zone = await bootstrapZone(sts);
    orchestratorToken = await sessionToken(zone.applications.orchestrator!);
    workerToken = await sessionToken(zone.applications.worker!);
  });
  afterAll(async () => sts.close());

  const coordinator = async (method: 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
    const response = await sts.app.inject({
      method,
      url: `/zones/${zone.zoneId}${url}`,
      headers: { authorization: `Bearer ${orchestratorToken}` },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json() as Record<string, unknown>;
  };

  const spawn = async (parentId?: string): Promise<string> =>
    (await coordinator('POST', '/agents', parentId === undefined ? {} : { parent_id: parentId })).agent_session_id as string;

  const exchange = (subjectToken: string, form: Record<string, string>) =>
    injectTokenRequest(sts.app, {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      resource: TOOLS_RESOURCE,
      scope: 'tools:read',
      ...form,
    });

  it('suspend blocks the very next exchange, resume restores it, terminate ends it for good', async () => {
    const sessionId = await spawn();
    expect((await exchange(orchestratorToken, { agent_session_id: sessionId })).status).toBe(200);
    await coordinator('POST', `/agents/${sessionId}/suspend`);
    const suspended = await exchange(orchestratorToken, { agent_session_id: sessionId });
    expect(suspended.status).toBe(403);
    expect(suspended.body.error).toBe('access_denied');
    await coordinator('POST', `/agents/${sessionId}/resume`);
    expect((await exchange(orchestratorToken, { agent_session_id: sessionId })).status).toBe(200);
    await coordinator('DELETE', `/agents/${sessionId}`);
    expect((await exchange(orchestratorToken, { agent_session_id: sessionId })).body.error).toBe('access_denied');
  });

  it('suspending or terminating a parent blocks its whole subtree at once', async () => {
    const parent = await spawn();
    const child = await spawn(parent);
    expect((await exchange(orchestratorToken, { agent_session_id: child })).status).toBe(200);
    await coordinator('POST', `/agents/${parent}/suspend`);
    expect((await exchange(orchestratorToken, { agent_session_id: child })).body.error).toBe('access_denied');
    await coordinator('POST', `/agents/${parent}/resume`);
    expect((await exchange(orchestratorToken, { agent_session_id: child })).status).toBe(200);
    await coordinator('DELETE', `/agents/${parent}`);
    expect((await exchange(orchestratorToken, { agent_session_id: child })).body.error).toBe('access_denied');
  });

  it('terminating the delegator stops exchanges through its edge', async () => {
    const delegator = await spawn();
    const database = sts.context.database;
    const target = await insertAgentSession(database, { zoneId: zone.zoneId, applicationId: zone.applications.worker!.id, now: sts.clock.now() });
    const edgeId = await insertDelegationEdge(database, {
      zoneId: zone.zoneId,
      sourceSessionId: delegator,
      targetSessionId: target,
      issuerApplicationId: zone.applications.orchestrator!.id,
      receiverApplicationId: zone.applications.worker!.id,
      scopes: ['tools:read'],
      expiresAt: new Date(sts.clock.now() + 3600_000),
      now: sts.clock.now(),
    });
    const form = { agent_session_id: target, delegation_edge_id: edgeId };
    expect((await exchange(workerToken, form)).status).toBe(200);
    await coordinator('DELETE', `/agents/${delegator}`);
    const refused = await exchange(workerToken, form);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('access_denied');
  });

  it('a revoked edge (as the Coordinator revocation writes it) refuses the very next exchange, downstream too', async () => {
    const database = sts.context.database;
    const now = sts.clock.now();
    const worker = zone.applications.worker!.id;
    const root = await spawn();
    const middle = await insertAgentSession(database, { zoneId: zone.zoneId, applicationId: worker, now });
    const leaf = await insertAgentSession(database, { zoneId: zone.zoneId, applicationId: worker, now });
    const common = { zoneId: zone.zoneId, receiverApplicationId: worker, scopes: ['tools:read'], expiresAt: new Date(now + 3600_000), now };
    const first = await insertDelegationEdge(database, { ...common, sourceSessionId: root, targetSessionId: middle, issuerApplicationId: zone.applications.orchestrator!.id });
    const second = await insertDelegationEdge(database, { ...common, sourceSessionId: middle, targetSessionId: leaf, issuerApplicationId: worker, parentEdgeId: first });
    const form = { agent_session_id: leaf, delegation_edge_id: second };
    expect((await exchange(workerToken, form)).status).toBe(200);
    // What POST /zones/{zoneId}/delegations/{id}/revoke commits for the root edge (status only; the
    // downstream cascade is the Coordinator's business; the STS refuses on the ancestor alone).
    await database.query(`UPDATE delegation_edges SET status = 'revoked', revoked_at = now(), edge_version = edge_version + 1 WHERE id = $1`, [first]);
    const refused = await exchange(workerToken, form);
    expect(refused.status).toBe(403);
    expect(refused.body.error_description).toContain(first);
  });
});
