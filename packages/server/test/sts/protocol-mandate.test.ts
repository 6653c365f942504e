import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import {
  ACCESS_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  TOOLS_RESOURCE,
  decodeClaims,
  injectTokenRequest,
} from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

/** `mandate_use=protocol`: the mandate for MCP requests that do not act (docs/sts.md). */
describe.each(testBackends())('protocol mandates on $name', (backend) => {
  const suite = useStsSuite(backend, { sessionTokens: true });

  const exchange = (form: Record<string, string | undefined>) =>
    injectTokenRequest(suite.sts.app, { grant_type: TOKEN_EXCHANGE_GRANT, subject_token_type: ACCESS_TOKEN_TYPE, resource: TOOLS_RESOURCE, ...form });

  /** orchestrator session → worker session, the worker presenting it. */
  const edge = async (options: { budget?: number | null; status?: 'active' | 'revoked' } = {}) => {
    const { target, edgeId } = await suite.insertEdge(options);
    return { subject_token: suite.workerToken, agent_session_id: target, delegation_edge_id: edgeId };
  };

  const budgetOf = async (edgeId: string): Promise<number | null> => {
    const { rows } = await suite.sts.context.database.query<{ budget_remaining: number | null }>('SELECT budget_remaining FROM delegation_edges WHERE id = $1', [edgeId]);
    return rows[0]!.budget_remaining;
  };

  it('is minted like a per-call mandate, signed use "protocol", and spends no budget', async () => {
    const form = await edge({ budget: 2 });
    const protocol = await exchange({ ...form, mandate_use: 'protocol' });
    expect(protocol.status).toBe(200);
    const call = await exchange({ ...form, mandate_use: 'call' });
    expect(call.status).toBe(200);
    const protocolClaims = decodeClaims(protocol.body.access_token as string);
    const callClaims = decodeClaims(call.body.access_token as string);
    expect(protocolClaims.use).toBe('protocol');
    expect(callClaims.use).toBe('call');
    for (const claim of ['aud', 'sub', 'scope', 'agent_session_id', 'delegation_edge_id', 'delegation_path', 'hop_count', 'act', 'exp']) {
      expect(protocolClaims[claim], claim).toEqual(callClaims[claim]);
    }
    expect(await budgetOf(form.delegation_edge_id)).toBe(1);
    for (let index = 0; index < 5; index++) expect((await exchange({ ...form, mandate_use: 'protocol' })).status).toBe(200);
    expect(await budgetOf(form.delegation_edge_id)).toBe(1);
  });

  it('is still minted once the budget is exhausted; a per-call mandate is not', async () => {
    const form = await edge({ budget: 1 });
    expect((await exchange(form)).status).toBe(200);
    const call = await exchange(form);
    expect(call.status).toBe(403);
    expect(call.body.error).toBe('access_denied');
    expect((await exchange({ ...form, mandate_use: 'protocol' })).status).toBe(200);
    expect(await budgetOf(form.delegation_edge_id)).toBe(0);
  });

  it('is refused wherever a per-call mandate would be: revoked edge, scope beyond the lineage', async () => {
    const revoked = await exchange({ ...(await edge({ status: 'revoked' })), mandate_use: 'protocol' });
    expect(revoked.status).toBe(403);
    expect(revoked.body.error).toBe('access_denied');
    const wider = await exchange({ ...(await edge()), mandate_use: 'protocol', scope: 'tools:call' });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
  });

  it('refuses any other mandate_use with invalid_request', async () => {
    const answer = await exchange({ ...(await edge({ budget: 3 })), mandate_use: 'session' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });
});
