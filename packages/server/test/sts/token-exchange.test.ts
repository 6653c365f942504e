import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import {
  ACCESS_TOKEN_TYPE,
  FILES_RESOURCE,
  TOKEN_EXCHANGE_GRANT,
  TOOLS_RESOURCE,
  bootstrapZone,
  decodeClaims,
  injectSessionToken,
  injectTokenRequest,
} from '../helpers/sts-fixtures.ts';
import { useStsSuite, type EdgeOptions } from '../helpers/sts-suite.ts';

describe.each(testBackends())('token exchange on $name', (backend) => {
  const suite = useStsSuite(backend, { sessionTokens: true });
  const sessionToken = (application: { id: string; secret: string }) => injectSessionToken(suite.sts.app, application);

  const exchange = (form: Record<string, string | undefined>, headers?: Record<string, string>) =>
    injectTokenRequest(
      suite.sts.app,
      { grant_type: TOKEN_EXCHANGE_GRANT, subject_token_type: ACCESS_TOKEN_TYPE, resource: TOOLS_RESOURCE, ...form },
      headers === undefined ? {} : { headers },
    );

  const inMinutes = (minutes: number): Date => new Date(suite.sts.clock.now() + minutes * 60_000);

  /** A chain sessions[0] → sessions[1] → … with one edge per hop, each receiver the worker. */
  const chain = async (length: number, perEdge: (index: number) => EdgeOptions = () => ({})) => {
    const sessions = [await suite.insertSession(suite.orchestrator.id)];
    const edges: string[] = [];
    for (let index = 0; index < length; index += 1) {
      const target = await suite.insertSession(suite.worker.id);
      const { edgeId } = await suite.insertEdge({
        sourceSessionId: sessions[index]!,
        targetSessionId: target,
        issuerApplicationId: index === 0 ? suite.orchestrator.id : suite.worker.id,
        parentEdgeId: edges[index - 1] ?? null,
        scopes: ['tools:read', 'tools:call'],
        ...perEdge(index),
      });
      sessions.push(target);
      edges.push(edgeId);
    }
    return { sessions, edges, leafSession: sessions.at(-1)!, leafEdge: edges.at(-1)! };
  };

  const expectRefusal = (answer: { status: number; body: Record<string, unknown> }, error: string, status = 400) => {
    expect(answer.body.error, JSON.stringify(answer.body)).toBe(error);
    expect(answer.status).toBe(status);
    expect(typeof answer.body.error_description).toBe('string');
  };

  describe('grants', () => {
    it('mints a per-call mandate for the client alone (no session)', async () => {
      const answer = await exchange({ subject_token: suite.orchestratorToken });
      expect(answer.status).toBe(200);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.body).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: 900, scope: 'tools:call tools:read' });
      const claims = decodeClaims(answer.body.access_token as string);
      expect(claims).toMatchObject({
        iss: suite.sts.issuer,
        sub: suite.orchestrator.id,
        aud: TOOLS_RESOURCE,
        client_id: suite.orchestrator.id,
        zone_id: suite.zone.zoneId,
        use: 'call',
        delegation_path: [],
        hop_count: 0,
      });
      expect(claims.agent_session_id).toBeUndefined();
      expect(claims.act).toBeUndefined();
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    });

    it('binds the mandate to an agent session under its ceiling (NULL = the application scopes)', async () => {
      const sessionId = await suite.insertSession(suite.orchestrator.id);
      const answer = await exchange({ subject_token: suite.orchestratorToken, agent_session_id: sessionId, scope: 'tools:call' });
      expect(answer.status).toBe(200);
      expect(decodeClaims(answer.body.access_token as string)).toMatchObject({ sub: sessionId, agent_session_id: sessionId, scope: 'tools:call' });
    });

    it('accepts the jwt subject token type and matching client credentials', async () => {
      const answer = await exchange({
        subject_token: suite.orchestratorToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        client_id: suite.orchestrator.id,
        client_secret: suite.orchestrator.secret,
      });
      expect(answer.status).toBe(200);
    });

    it('mints through a delegation edge: path, hop count, act, scopes and expiry bounded by the edge', async () => {
      const { source, target, edgeId } = await suite.insertEdge({ expiresAt: inMinutes(5) });
      const answer = await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const claims = decodeClaims(answer.body.access_token as string);
      expect(claims).toMatchObject({
        sub: target,
        client_id: suite.worker.id,
        agent_session_id: target,
        delegation_edge_id: edgeId,
        delegation_path: [edgeId],
        hop_count: 1,
        scope: 'tools:read',
        act: { sub: source, client_id: suite.orchestrator.id },
      });
      expect(claims.exp).toBe(Math.floor(inMinutes(5).getTime() / 1000));
    });

    it('nests act from the immediate delegator down to the root over a three-edge lineage', async () => {
      const { sessions, edges, leafSession, leafEdge } = await chain(3);
      const answer = await exchange({ subject_token: suite.workerToken, agent_session_id: leafSession, delegation_edge_id: leafEdge, scope: 'tools:read' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const claims = decodeClaims(answer.body.access_token as string);
      expect(claims.delegation_path).toEqual(edges);
      expect(claims.hop_count).toBe(3);
      expect(claims.act).toEqual({
        sub: sessions[2],
        client_id: suite.worker.id,
        act: { sub: sessions[1], client_id: suite.worker.id, act: { sub: sessions[0], client_id: suite.orchestrator.id } },
      });
    });

    it('caps the lifetime by the edge constraint ttl_seconds', async () => {
      const { target, edgeId } = await suite.insertEdge({ constraints: { ttl_seconds: 60 } });
      const answer = await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId });
      expect(answer.body.expires_in).toBe(60);
    });

    it('spends the budget on the edge and every budgeted ancestor', async () => {
      const { leafSession, leafEdge, edges } = await chain(3, (index) => ({ budget: index === 1 ? null : 5 }));
      const answer = await exchange({ subject_token: suite.workerToken, agent_session_id: leafSession, delegation_edge_id: leafEdge, scope: 'tools:read' });
      expect(answer.status).toBe(200);
      const { rows } = await suite.sts.context.database.query<{ id: string; budget_remaining: number | null }>(
        'SELECT id, budget_remaining FROM delegation_edges WHERE id = ANY($1::text[])',
        [edges],
      );
      const budgets = Object.fromEntries(rows.map((row) => [row.id, row.budget_remaining]));
      expect(budgets).toEqual({ [edges[0]!]: 4, [edges[1]!]: null, [edges[2]!]: 4 });
    });
  });

  describe('refusals of the request', () => {
    it('invalid_request: no subject_token, unsupported subject_token_type, actor_token, malformed ids, edge without session', async () => {
      expectRefusal(await exchange({}), 'invalid_request');
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }), 'invalid_request');
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, actor_token: 'x', actor_token_type: ACCESS_TOKEN_TYPE }), 'invalid_request');
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: 'not-a-session' }), 'invalid_request');
      const { edgeId } = await suite.insertEdge();
      expectRefusal(await exchange({ subject_token: suite.workerToken, delegation_edge_id: edgeId }), 'invalid_request');
    });

    it('invalid_request: resource missing (RFC 8707 is required here)', async () => {
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, resource: undefined }), 'invalid_request');
    });

    it('invalid_target: unregistered, malformed, or more than one resource', async () => {
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, resource: 'mcp://unknown.test' }), 'invalid_target');
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, resource: 'not a uri' }), 'invalid_target');
      const twice = await suite.sts.app.inject({
        method: 'POST',
        url: '/oauth/2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([
          ['grant_type', TOKEN_EXCHANGE_GRANT],
          ['subject_token', suite.orchestratorToken],
          ['subject_token_type', ACCESS_TOKEN_TYPE],
          ['resource', TOOLS_RESOURCE],
          ['resource', FILES_RESOURCE],
        ]).toString(),
      });
      expectRefusal({ status: twice.statusCode, body: twice.json() }, 'invalid_target');
    });

    it('invalid_grant: a subject token that is garbage, a per-call mandate, or expired', async () => {
      expectRefusal(await exchange({ subject_token: 'not.a.jwt' }), 'invalid_grant');
      const call = await exchange({ subject_token: suite.orchestratorToken });
      expectRefusal(await exchange({ subject_token: call.body.access_token as string }), 'invalid_grant');
      const shortLived = await sessionToken(suite.orchestrator);
      suite.sts.clock.advance(3600_000 + 11_000);
      try {
        expectRefusal(await exchange({ subject_token: shortLived }), 'invalid_grant');
      } finally {
        suite.sts.clock.advance(-(3600_000 + 11_000));
      }
    });

    it('invalid_grant: client credentials (or a bare client_id) naming another client than the subject token', async () => {
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, client_id: suite.worker.id, client_secret: suite.worker.secret }), 'invalid_grant');
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, client_id: suite.worker.id }), 'invalid_grant');
      expect((await exchange({ subject_token: suite.orchestratorToken, client_id: suite.orchestrator.id })).status).toBe(200);
    });

    it('invalid_client: presented credentials that do not verify', async () => {
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, client_id: suite.orchestrator.id, client_secret: 'wrong' }), 'invalid_client', 401);
    });
  });

  describe('refusals by scope', () => {
    it('invalid_scope: a scope the resource does not accept', async () => {
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, scope: 'files:read' }), 'invalid_scope');
    });

    it('invalid_scope: beyond the application (no session) or the session ceiling', async () => {
      const narrow = await bootstrapZone(suite.sts, { applications: { narrow: { scopes: ['tools:read'] } } });
      const narrowToken = await sessionToken(narrow.applications.narrow!);
      expectRefusal(await exchange({ subject_token: narrowToken, scope: 'tools:call' }), 'invalid_scope');
      const ceiling = await suite.insertSession(suite.orchestrator.id, { scopes: ['tools:read'] });
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: ceiling, scope: 'tools:call' }), 'invalid_scope');
      const defaulted = await exchange({ subject_token: suite.orchestratorToken, agent_session_id: ceiling });
      expect(defaulted.body.scope).toBe('tools:read');
      const none = await suite.insertSession(suite.orchestrator.id, { scopes: [] });
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: none }), 'invalid_scope');
    });

    it('invalid_scope: beyond the edge, and beyond an ancestor even when the edge itself is wider', async () => {
      const { target, edgeId } = await suite.insertEdge();
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId, scope: 'tools:call' }), 'invalid_scope');
      const { leafSession, leafEdge } = await chain(2, (index) => ({ scopes: index === 0 ? ['tools:read'] : ['tools:read', 'tools:call'] }));
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: leafSession, delegation_edge_id: leafEdge, scope: 'tools:call' }), 'invalid_scope');
    });

    it('invalid_target: outside the session resource or the edge resource', async () => {
      const bound = await suite.insertSession(suite.orchestrator.id, { resourceId: FILES_RESOURCE });
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: bound }), 'invalid_target');
      const { target, edgeId } = await suite.insertEdge({ resourceId: FILES_RESOURCE });
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId }), 'invalid_target');
    });
  });

  describe('refusals by session', () => {
    it('invalid_grant: an unknown session', async () => {
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: 'agentsess_0000000000000000000000zzzz' }), 'invalid_grant');
    });

    it('unauthorized_client: a session owned by another application', async () => {
      const theirs = await suite.insertSession(suite.worker.id);
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: theirs }), 'unauthorized_client');
    });

    it('access_denied: suspended, terminated or expired sessions', async () => {
      for (const status of ['suspended', 'terminated'] as const) {
        const sessionId = await suite.insertSession(suite.orchestrator.id, { status });
        expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: sessionId }), 'access_denied', 403);
      }
      const expired = await suite.insertSession(suite.orchestrator.id, { expiresAt: new Date(suite.sts.clock.now() - 1000) });
      expectRefusal(await exchange({ subject_token: suite.orchestratorToken, agent_session_id: expired }), 'access_denied', 403);
    });

    it('never outlives the session', async () => {
      const shortSession = await suite.insertSession(suite.orchestrator.id, { expiresAt: inMinutes(2) });
      const answer = await exchange({ subject_token: suite.orchestratorToken, agent_session_id: shortSession });
      expect(answer.body.expires_in).toBe(120);
    });
  });

  describe('refusals by delegation', () => {
    it('invalid_grant: an unknown edge, or an edge that targets another session', async () => {
      const mine = await suite.insertSession(suite.worker.id);
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: mine, delegation_edge_id: 'deledge_0000000000000000000000zzzz' }), 'invalid_grant');
      const { edgeId } = await suite.insertEdge();
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: mine, delegation_edge_id: edgeId }), 'invalid_grant');
    });

    it('unauthorized_client: an edge received by another application', async () => {
      const target = await suite.insertSession(suite.worker.id);
      const { edgeId } = await suite.insertEdge({ targetSessionId: target, receiverApplicationId: suite.orchestrator.id });
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId }), 'unauthorized_client');
    });

    it('access_denied: a revoked, expired-status or past-expiry edge', async () => {
      for (const options of [{ status: 'revoked' as const }, { status: 'expired' as const }, { expiresAt: new Date(suite.sts.clock.now() - 1000) }]) {
        const { target, edgeId } = await suite.insertEdge(options);
        expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId }), 'access_denied', 403);
      }
    });

    it('access_denied: a revoked or expired ancestor', async () => {
      const revoked = await chain(3, (index) => (index === 0 ? { status: 'revoked' } : {}));
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: revoked.leafSession, delegation_edge_id: revoked.leafEdge }), 'access_denied', 403);
      const expired = await chain(2, (index) => (index === 0 ? { expiresAt: new Date(suite.sts.clock.now() - 1) } : {}));
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: expired.leafSession, delegation_edge_id: expired.leafEdge }), 'access_denied', 403);
    });

    it('access_denied: a broken lineage (missing parent) or a discontinuous one', async () => {
      const orphan = await suite.insertEdge({ parentEdgeId: 'deledge_0000000000000000000000gone' });
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: orphan.target, delegation_edge_id: orphan.edgeId }), 'access_denied', 403);
      const parent = await suite.insertEdge();
      const stranger = await suite.insertSession(suite.worker.id);
      const child = await suite.insertEdge({ sourceSessionId: stranger, parentEdgeId: parent.edgeId });
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: child.target, delegation_edge_id: child.edgeId }), 'access_denied', 403);
    });

    it('access_denied: a suspended delegator', async () => {
      const delegator = await suite.insertSession(suite.orchestrator.id, { status: 'suspended' });
      const { target, edgeId } = await suite.insertEdge({ sourceSessionId: delegator });
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId }), 'access_denied', 403);
    });

    it('access_denied: max_hops counts edges from that edge down, itself included', async () => {
      const allowed = await chain(2, (index) => (index === 0 ? { maxHops: 2 } : { maxHops: 1 }));
      expect((await exchange({ subject_token: suite.workerToken, agent_session_id: allowed.leafSession, delegation_edge_id: allowed.leafEdge, scope: 'tools:read' })).status).toBe(200);
      const tooDeep = await chain(2, (index) => (index === 0 ? { maxHops: 1 } : {}));
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: tooDeep.leafSession, delegation_edge_id: tooDeep.leafEdge }), 'access_denied', 403);
      const leafZero = await chain(1, () => ({ maxHops: 0 }));
      expectRefusal(await exchange({ subject_token: suite.workerToken, agent_session_id: leafZero.leafSession, delegation_edge_id: leafZero.leafEdge }), 'access_denied', 403);
    });

    it('access_denied: an exhausted budget on the edge or an ancestor', async () => {
      const { leafSession, leafEdge } = await chain(2, (index) => (index === 0 ? { budget: 1 } : { budget: 10 }));
      const form = { subject_token: suite.workerToken, agent_session_id: leafSession, delegation_edge_id: leafEdge, scope: 'tools:read' };
      expect((await exchange(form)).status).toBe(200);
      expectRefusal(await exchange(form), 'access_denied', 403);
      const { rows } = await suite.sts.context.database.query<{ budget_remaining: number }>('SELECT budget_remaining FROM delegation_edges WHERE id = $1', [leafEdge]);
      expect(rows[0]!.budget_remaining).toBe(9);
    });
  });
});
