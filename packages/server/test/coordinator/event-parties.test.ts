import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { outboxEvents, useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_event_parties';

// F1: a session's revocation names it by the id the server assigned; a caller-chosen session_sid
// shaped like such an id is refused. Every event names the applications it concerns, which the
// feed filters on (docs/decisions/2026-12-04-revocation-names.md, 2026-12-04-feed-visibility.md).
describe.each(testBackends())('what events name, on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, tokens: {
    victim: { clientId: 'app_victim', scopes: ['agent:lifecycle', 'tools:call'] },
    attacker: { clientId: 'app_attacker', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  const spawn = (body: Record<string, unknown>, token: string) => harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token, body });
  const sessionCount = async (): Promise<number> =>
    (await harness.database.query<{ count: number }>('SELECT count(*)::int AS count FROM agent_sessions WHERE zone_id = $1', [ZONE])).rows[0]!.count;

  it('refuses a session_sid shaped like a server id (another application\'s live session, an edge id), creating nothing', async () => {
    const live = await spawn({}, tokens.victim);
    expect(live.statusCode).toBe(201);
    const before = await sessionCount();
    for (const sessionSid of [live.json().agent_session_id as string, 'deledge_0000000000aaaaaaaaaaaaaaaa', 'agentsess_01jbxyzabcdefghjkmnpqrstvw']) {
      const refused = await spawn({ session_sid: sessionSid }, tokens.attacker);
      expect(refused.statusCode, sessionSid).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('session_sid') });
    }
    for (const url of ['/v1/begin']) {
      const refused = await harness.call({ method: 'POST', url, token: tokens.attacker, body: { zone_id: ZONE, session_sid: live.json().agent_session_id } });
      expect(refused.statusCode).toBe(400);
    }
    expect(await sessionCount()).toBe(before);
  });

  it('a revocation names the server-assigned id with the owner; the label rides along; every event names its parties', async () => {
    const own = await spawn({ session_sid: 'agentsess_of_my_own_making' }, tokens.attacker);
    expect(own.statusCode).toBe(201);
    const sessionId = own.json().agent_session_id as string;
    const target = (await spawn({}, tokens.victim)).json().agent_session_id as string;
    const edge = await harness.call({
      method: 'POST',
      url: `/zones/${ZONE}/delegations`,
      token: tokens.attacker,
      body: { source_session_id: sessionId, target_session_id: target, scopes: ['tools:call'] },
    });
    expect(edge.statusCode).toBe(201);
    const invocation = await harness.call({ method: 'POST', url: `/zones/${ZONE}/invocations`, token: tokens.attacker, body: { agent_session_id: sessionId, operation: 'op' } });
    expect(invocation.statusCode, invocation.body).toBe(201);
    expect((await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${sessionId}`, token: tokens.attacker })).statusCode).toBe(200);

    expect(await outboxEvents(harness.database, { type: 'session_revoked', sessionId })).toEqual([
      {
        topic: 'caracal.sessions.revoke',
        payload: expect.objectContaining({ agent_session_id: sessionId, application_id: 'app_attacker', session_sid: 'agentsess_of_my_own_making' }),
      },
    ]);
    const edgeId = edge.json().delegation_edge_id as string;
    for (const type of ['edge_create', 'edge_revoke']) {
      expect((await outboxEvents(harness.database, { type, sessionId: edgeId }))[0]!.payload).toMatchObject({
        issuer_application_id: 'app_attacker',
        receiver_application_id: 'app_victim',
      });
    }
    for (const type of ['invocation_created', 'invocation_cancelled']) {
      expect((await outboxEvents(harness.database, { type, sessionId }))[0]!.payload, type).toMatchObject({ application_id: 'app_attacker' });
    }
  });
});
