import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { TOOLS_RESOURCE, injectExchange, insertAgentSession, insertDelegationEdge } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

describe.each(testBackends())('POST /v1/verify on $name', (backend) => {
  const suite = useStsSuite(backend, { sessionTokens: true });
  let nextAddress = 1;

  /** Each test gets its own client address, so the per-IP limit never couples tests. */
  const verify = async (payload: Record<string, unknown> | undefined, options: { headers?: Record<string, string>; address?: string } = {}) => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url: '/v1/verify',
      remoteAddress: options.address ?? `10.0.0.${nextAddress++}`,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown>, headers: response.headers };
  };

  const callMandate = async (form: Record<string, string> = {}, subjectToken = suite.orchestratorToken): Promise<string> => {
    const answer = await injectExchange(suite.sts.app, subjectToken, {
      resource: TOOLS_RESOURCE,
      ...form,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.access_token as string;
  };

  /** A two-edge delegated mandate held by the worker. */
  const delegatedMandate = async () => {
    const database = suite.sts.context.database;
    const orchestrator = suite.zone.applications.orchestrator!.id;
    const worker = suite.zone.applications.worker!.id;
    const now = suite.sts.clock.now();
    const root = await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: orchestrator, now });
    const middle = await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: worker, now });
    const leaf = await insertAgentSession(database, { zoneId: suite.zone.zoneId, applicationId: worker, now });
    const common = { zoneId: suite.zone.zoneId, receiverApplicationId: worker, scopes: ['tools:read'], expiresAt: new Date(now + 3600_000), now };
    const first = await insertDelegationEdge(database, { ...common, sourceSessionId: root, targetSessionId: middle, issuerApplicationId: orchestrator });
    const second = await insertDelegationEdge(database, { ...common, sourceSessionId: middle, targetSessionId: leaf, issuerApplicationId: worker, parentEdgeId: first });
    const token = await callMandate({ agent_session_id: leaf, delegation_edge_id: second }, suite.workerToken);
    return { token, leaf, first, second };
  };

  it('answers valid with the verified claims (body token or bearer header)', async () => {
    const token = await callMandate();
    const fromBody = await verify({ token, audience: TOOLS_RESOURCE, required_scopes: ['tools:read'] });
    expect(fromBody.status).toBe(200);
    expect(fromBody.body).toMatchObject({ valid: true, claims: { aud: TOOLS_RESOURCE, use: 'call', zone_id: suite.zone.zoneId } });
    const fromHeader = await verify(undefined, { headers: { authorization: `Bearer ${token}` } });
    expect(fromHeader.body.valid).toBe(true);
  });

  it('answers invalid for a bad signature, expiry and another audience', async () => {
    expect((await verify({ token: 'a.b.c' })).body).toMatchObject({ valid: false, error: 'invalid_token' });
    const token = await callMandate();
    expect((await verify({ token, audience: 'mcp://other.test' })).body).toMatchObject({ valid: false, error: 'invalid_audience' });
    suite.sts.clock.advance(901_000 + 10_000);
    try {
      expect((await verify({ token })).body).toMatchObject({ valid: false, error: 'token_expired' });
    } finally {
      suite.sts.clock.advance(-(901_000 + 10_000));
    }
  });

  it('checks required scopes, agent and delegation presence, and hop count', async () => {
    const plain = await callMandate({ scope: 'tools:read' });
    expect((await verify({ token: plain, required_scopes: 'tools:read tools:call' })).body).toMatchObject({ valid: false, error: 'insufficient_scope' });
    expect((await verify({ token: plain, require_agent: true })).body).toMatchObject({ valid: false, error: 'agent_required' });
    expect((await verify({ token: plain, require_delegation: true })).body).toMatchObject({ valid: false, error: 'delegation_required' });
    const { token } = await delegatedMandate();
    expect((await verify({ token, require_agent: true, require_delegation: true, max_hops: 2 })).body.valid).toBe(true);
    expect((await verify({ token, max_hops: 1 })).body).toMatchObject({ valid: false, error: 'hop_limit_exceeded' });
  });

  it('answers invalid once the session is terminated or an edge of the path is revoked', async () => {
    const terminated = await delegatedMandate();
    await suite.sts.context.database.query(`UPDATE agent_sessions SET status = 'terminated', terminated_at = now() WHERE id = $1`, [terminated.leaf]);
    expect((await verify({ token: terminated.token })).body).toMatchObject({ valid: false, error: 'revoked' });
    const revoked = await delegatedMandate();
    await suite.sts.context.database.query(`UPDATE delegation_edges SET status = 'revoked', revoked_at = now() WHERE id = $1`, [revoked.first]);
    expect((await verify({ token: revoked.token })).body).toMatchObject({ valid: false, error: 'revoked' });
    // Suspension blocks new exchanges but mandates already issued stay valid
    // (docs/decisions/2026-12-04-revocation-model.md).
    const suspended = await delegatedMandate();
    await suite.sts.context.database.query(`UPDATE agent_sessions SET status = 'suspended' WHERE id = $1`, [suspended.leaf]);
    expect((await verify({ token: suspended.token })).body.valid).toBe(true);
  });

  it('takes an expected zone_id: a mandate of another zone is not valid', async () => {
    const token = await callMandate();
    expect((await verify({ token, zone_id: suite.zone.zoneId })).body.valid).toBe(true);
    const elsewhere = await verify({ token, zone_id: 'zone_elsewhere' });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toMatchObject({ valid: false, error: 'wrong_zone' });
    expect(elsewhere.body.message).toContain(suite.zone.zoneId);
    expect((await verify({ token, zone_id: 'not a zone' })).status).toBe(400);
  });

  it('takes the literal body with nulls for absent values', async () => {
    const token = await callMandate();
    const nulls = { zone_id: null, audience: null, required_scopes: null, require_agent: null, require_delegation: null, max_hops: null };
    expect((await verify({ token, ...nulls })).body.valid).toBe(true);
    const bearer = await verify({ token: null, ...nulls }, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.body.valid).toBe(true);
  });

  it('refuses a request without a token or with unknown fields (400)', async () => {
    expect((await verify({})).status).toBe(400);
    expect((await verify({ token: 'x', extra: 1 })).status).toBe(400);
    expect((await verify({ token: 'x', max_hops: -1 })).status).toBe(400);
  });

  it('limits each IP to 60 requests per minute (429 with Retry-After), other IPs unaffected', async () => {
    const token = await callMandate();
    for (let index = 0; index < 60; index += 1) {
      expect((await verify({ token }, { address: '192.0.2.7' })).status).toBe(200);
    }
    const limited = await verify({ token }, { address: '192.0.2.7' });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await verify({ token }, { address: '192.0.2.8' })).status).toBe(200);
    suite.sts.clock.advance(1_000);
    expect((await verify({ token }, { address: '192.0.2.7' })).status).toBe(200);
  });
});
