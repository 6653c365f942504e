import { TIMELINE_TOPIC } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { timelineFacts } from '../helpers/timeline-facts.ts';
import { TOOLS_RESOURCE, decodeClaims, injectExchange } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

/**
 * Every token exchange that names a session of the caller's leaves one record on that session's
 * timeline: `mandate_minted` with the mandate's jti, or `mandate_refused` with the error code.
 */
describe.each(testBackends())('mandate records on the timelines on $name', (backend) => {
  const suite = useStsSuite(backend, { sessionTokens: true });

  const coordinator = async (token: string, method: 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) => {
    const response = await suite.sts.app.inject({
      method,
      url: `/zones/${suite.zone.zoneId}${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json() as Record<string, unknown>;
  };
  const spawn = async (token = suite.orchestratorToken): Promise<string> => (await coordinator(token, 'POST', '/agents', {})).agent_session_id as string;
  const exchange = (form: Record<string, string>, token = suite.orchestratorToken) =>
    injectExchange(suite.sts.app, token, { resource: TOOLS_RESOURCE, scope: 'tools:read', ...form });

  const timeline = (sessionId: string) => timelineFacts(suite.sts.context.database, sessionId);
  const stsFacts = async (sessionId: string) => (await timeline(sessionId)).filter((fact) => fact.source === 'sts');
  async function stsFactCount(): Promise<number> {
    const { rows } = await suite.sts.context.database.query<{ count: number }>(`SELECT count(*)::int AS count FROM session_events WHERE source = 'sts'`);
    return rows[0]!.count;
  }

  it('records a minted mandate by its jti, with what it carries', async () => {
    const sessionId = await spawn();
    const answer = await exchange({ agent_session_id: sessionId });
    expect(answer.status).toBe(200);
    const claims = decodeClaims(answer.body.access_token as string);
    expect(await stsFacts(sessionId)).toEqual([
      {
        event_type: 'mandate_minted',
        source: 'sts',
        application_id: suite.zone.applications.orchestrator!.id,
        details: {
          jti: claims.jti,
          resource: TOOLS_RESOURCE,
          scopes: ['tools:read'],
          delegation_edge_id: null,
          delegation_path: [],
          mandate_use: 'call',
          expires_at: new Date((claims.exp as number) * 1000).toISOString(),
          client_id: suite.zone.applications.orchestrator!.id,
        },
      },
    ]);
    const { rows } = await suite.sts.context.database.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM caracal_outbox WHERE topic = $1 AND event_type = 'session_event' AND payload ->> 'session_id' = $2
         AND payload ->> 'source' = 'sts'`,
      [TIMELINE_TOPIC, sessionId],
    );
    expect(rows.map((row) => row.payload)).toEqual([expect.objectContaining({ event_type: 'mandate_minted', details: expect.objectContaining({ jti: claims.jti }) })]);
  });

  it('records the delegation path of a mandate minted through an edge, and a protocol mandate as such', async () => {
    const source = await spawn();
    const target = await spawn(suite.workerToken);
    const edge = (await coordinator(suite.orchestratorToken, 'POST', '/delegations', {
      source_session_id: source, target_session_id: target, scopes: ['tools:read'], ttl_seconds: 600 })).delegation_edge_id as string;
    const call = await exchange({ agent_session_id: target, delegation_edge_id: edge }, suite.workerToken);
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    const protocol = await exchange({ agent_session_id: target, delegation_edge_id: edge, mandate_use: 'protocol' }, suite.workerToken);
    expect(protocol.status, JSON.stringify(protocol.body)).toBe(200);
    const facts = await stsFacts(target);
    expect(facts.map((fact) => fact.details)).toEqual([
      expect.objectContaining({ jti: decodeClaims(call.body.access_token as string).jti, delegation_edge_id: edge, delegation_path: [edge], mandate_use: 'call' }),
      expect.objectContaining({ jti: decodeClaims(protocol.body.access_token as string).jti, mandate_use: 'protocol' }),
    ]);
    expect(facts[0]!.application_id).toBe(suite.zone.applications.worker!.id);
    // The delegating session's timeline holds its own facts, not the receiver's mints.
    expect(await stsFacts(source)).toEqual([]);

    await coordinator(suite.orchestratorToken, 'POST', `/delegations/${edge}/revoke`);
    const refused = await exchange({ agent_session_id: target, delegation_edge_id: edge }, suite.workerToken);
    expect(refused.status).toBe(403);
    expect((await stsFacts(target)).at(-1)).toEqual({
      event_type: 'mandate_refused',
      source: 'sts',
      application_id: suite.zone.applications.worker!.id,
      details: {
        resource: TOOLS_RESOURCE,
        scopes: ['tools:read'],
        delegation_edge_id: edge,
        mandate_use: 'call',
        reason: 'access_denied',
        error_description: refused.body.error_description,
      },
    });
  });

  it('records a refusal with its reason: a scope not granted, a suspended session', async () => {
    const sessionId = await spawn();
    const notGranted = await exchange({ agent_session_id: sessionId, scope: 'tools:call files:read' });
    expect(notGranted.status).toBe(400);
    await coordinator(suite.orchestratorToken, 'POST', `/agents/${sessionId}/suspend`);
    const suspended = await exchange({ agent_session_id: sessionId });
    expect(suspended.status).toBe(403);
    expect((await stsFacts(sessionId)).map((fact) => fact.details)).toEqual([
      expect.objectContaining({ reason: 'invalid_scope', scopes: ['tools:call', 'files:read'], error_description: notGranted.body.error_description }),
      expect.objectContaining({ reason: 'access_denied', error_description: expect.stringContaining('suspended') }),
    ]);
  });

  it('records nothing for an exchange that names no session of the caller', async () => {
    const others = await spawn(suite.workerToken);
    const count = await stsFactCount();
    expect((await exchange({})).status).toBe(200);
    expect((await exchange({ agent_session_id: others })).body.error).toBe('unauthorized_client');
    expect((await exchange({ agent_session_id: 'agentsess_01jz0000000000000000000000' })).body.error).toBe('invalid_grant');
    expect((await injectExchange(suite.sts.app, 'not-a-token', { resource: TOOLS_RESOURCE, agent_session_id: others })).status).toBe(400);
    expect(await stsFactCount()).toBe(count);
  });

  it('records concurrent exchanges once each, every record with its own jti', async () => {
    const sessionId = await spawn();
    const answers = await Promise.all(Array.from({ length: 24 }, () => exchange({ agent_session_id: sessionId })));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const jtis = answers.map((answer) => decodeClaims(answer.body.access_token as string).jti);
    const recorded = (await stsFacts(sessionId)).map((fact) => fact.details.jti);
    expect([...recorded].sort()).toEqual([...jtis].sort());
  });
});
