import { describe, expect, it, vi } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, TOOLS_RESOURCE, decodeClaims, injectTokenRequest } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/**
 * One derivation rule (docs/decisions/2026-12-04-edge-derivation.md): an edge made by a session
 * that holds live inbound edges derives from the named one, else the only one; narrowing,
 * traverse, the revocation cascade and the STS lineage all follow what was recorded. Edges here
 * are made through the API without naming `parent_edge_id`, as a caller that never heard of it would.
 */
describe.each(testBackends())('edge derivation on $name', (backend) => {
  const suite = useStsSuite(backend, {
    sessionTokens: true,
    zone: {
      applications: { orchestrator: { scopes: ['tools:call', 'tools:list'] }, worker: { scopes: ['tools:call'] } },
      resources: { [TOOLS_RESOURCE]: ['tools:call', 'tools:list'] },
    },
  });
  const zone = () => suite.zone.zoneId;
  const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    suite.sts.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${suite.orchestratorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  async function spawn(body: Record<string, unknown> = {}): Promise<string> {
    const response = await call('POST', `/zones/${zone()}/agents`, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().agent_session_id as string;
  }
  const delegate = (source: string, target: string, scopes: string[], extra: Record<string, unknown> = {}) =>
    call('POST', `/zones/${zone()}/delegations`, { source_session_id: source, target_session_id: target, scopes, ...extra });
  async function edge(source: string, target: string, scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; parent: string | null }> {
    const response = await delegate(source, target, scopes, extra);
    expect(response.statusCode, response.body).toBe(201);
    return { id: response.json().id as string, parent: response.json().parent_edge_id as string | null };
  }
  const edgeStatus = async (id: string) => (await call('GET', `/zones/${zone()}/delegations/${id}`)).json().status as string;
  const sessionStatus = async (id: string) => (await call('GET', `/zones/${zone()}/agents/${id}`)).json().status as string;
  const traverse = async (id: string) =>
    ((await call('GET', `/zones/${zone()}/delegations/${id}/traverse`)).json().items as Array<{ depth: number; id: string }>).map(
      (link) => [link.depth, link.id],
    );

  /** s0 → s1 → s2, made without parent_edge_id: s0 delegates its ceiling, s1 and s2 their only inbound edge. */
  async function chain() {
    const [s0, s1, s2, s3] = [await spawn(), await spawn(), await spawn(), await spawn()];
    const first = await edge(s0, s1, ['tools:call', 'tools:list']);
    const second = await edge(s1, s2, ['tools:call']);
    return { s0, s1, s2, s3, first: first.id, second };
  }

  it('narrows an edge by the only live inbound edge of its source, and records it as the parent', async () => {
    const { s2, s3, first, second } = await chain();
    expect(second.parent).toBe(first);
    const beyond = await delegate(s2, s3, ['tools:list']);
    expect(beyond.statusCode, beyond.body).toBe(403);
    expect(beyond.json().error).toBe('authority_exceeded');
    expect((await edge(s2, s3, ['tools:call'])).parent).toBe(second.id);
  });

  it('traverses from the root to the leaf, and the STS mints the same lineage', async () => {
    const { s2, s3, first, second } = await chain();
    const third = await edge(s2, s3, ['tools:call']);
    const whole = [[0, first], [1, second.id], [2, third.id]];
    expect(await traverse(second.id)).toEqual(whole);
    expect(await traverse(third.id)).toEqual(whole);
    const minted = await injectTokenRequest(suite.sts.app, {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token_type: ACCESS_TOKEN_TYPE,
      subject_token: suite.orchestratorToken,
      resource: TOOLS_RESOURCE,
      scope: 'tools:call',
      agent_session_id: s3,
      delegation_edge_id: third.id,
    });
    expect(minted.status, JSON.stringify(minted.body)).toBe(200);
    const claims = decodeClaims(minted.body.access_token as string);
    expect(claims).toMatchObject({ delegation_path: [first, second.id, third.id], hop_count: 3 });
  });

  it('refuses with 409 ambiguous_parent_edge when the source holds several live inbound edges and names none', async () => {
    const { s2, s3, second } = await chain();
    const other = await spawn();
    const side = await edge(other, s2, ['tools:list']);
    const ambiguous = await delegate(s2, s3, ['tools:call']);
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json().error).toBe('ambiguous_parent_edge');
    expect(ambiguous.json().error_description).toContain('parent_edge_id');
    expect((await edge(s2, s3, ['tools:list'], { parent_edge_id: side.id })).parent).toBe(side.id);
    // A spawn's inherited edge follows the same rule.
    const child = await call('POST', `/zones/${zone()}/agents`, { parent_id: s2 });
    expect(child.statusCode).toBe(409);
    expect(child.json().error).toBe('ambiguous_parent_edge');
    const named = await call('POST', `/zones/${zone()}/agents`, { parent_id: s2, parent_edge_id: second.id });
    expect(named.statusCode, named.body).toBe(201);
    const inherited = (await call('GET', `/zones/${zone()}/delegations/${named.json().delegation_edge_id}`)).json();
    expect(inherited).toMatchObject({ parent_edge_id: second.id, scopes: ['tools:call'] });
  });

  it('revoking s0 → s1 revokes exactly the edges derived from it and terminates only their targets', async () => {
    const [s0, s1, s2, s4, s5] = [await spawn(), await spawn(), await spawn(), await spawn(), await spawn()];
    // s1 → s4 comes first, from s1's own ceiling; s4 → s5 derives from it. Neither derives from s0 → s1.
    const own = await edge(s1, s4, ['tools:call']);
    const onward = await edge(s4, s5, ['tools:call']);
    expect(own.parent).toBeNull();
    expect(onward.parent).toBe(own.id);
    const first = await edge(s0, s1, ['tools:call', 'tools:list']);
    const second = await edge(s1, s2, ['tools:call']);
    const revoked = await call('POST', `/zones/${zone()}/delegations/${first.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    // Derived: first and second, whose targets s1 and s2 end. Ending s1 revokes s1 → s4, the
    // edge it made itself, and what derives from that; s4 and s5 keep their sessions.
    expect(revoked.json()).toEqual({ revoked_edges: 4, affected_sessions: 2 });
    expect([await sessionStatus(s1), await sessionStatus(s2)]).toEqual(['terminated', 'terminated']);
    expect([await sessionStatus(s0), await sessionStatus(s4), await sessionStatus(s5)]).toEqual(['active', 'active', 'active']);
    for (const id of [first.id, second.id, own.id, onward.id]) expect(await edgeStatus(id)).toBe('revoked');
  });
});
