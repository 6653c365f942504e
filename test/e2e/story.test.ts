import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { dropSchema, testBackends } from '../../packages/server/test/helpers/backends.ts';
import { runStory, type StoryResult } from '../../examples/demo/story/story.ts';
import { BILLING_RESOURCE, ORCHESTRATOR_APP, PARTNER_APP, TOOLS_RESOURCE } from '../../examples/demo/story/stack.ts';

const schemas: Array<string | undefined> = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

describe.each(testBackends())('the whole story against the real server ($name)', (backend) => {
  let story: StoryResult;

  it('runs: orchestrator → worker (narrowed) → partner application → MCP tools + billing agent, then a revocation', { timeout: 60_000 }, async () => {
    const schema = backend.schema();
    schemas.push(schema);
    story = await runStory({ databaseUrl: backend.databaseUrl, databaseSchema: schema, redisUrl: backend.redisUrl });
    expect(story.partnerReply).toContain('billing: paid (pay invoice 42)');
  });

  it('builds the chain: the worker holds a narrowed edge, the partner acts under the cross-application edge', () => {
    const { orchestrator, worker, delegated, partnerTurn } = story;
    expect(orchestrator).toMatchObject({ clientId: ORCHESTRATOR_APP, hop: 0 });
    expect(worker.delegationEdgeId).toMatch(/^deledge_/);
    expect(worker.agentSessionId).not.toBe(orchestrator.agentSessionId);
    // Inside delegate() to another application: target + new edge bound, own authority presented.
    expect(delegated).toMatchObject({ agentSessionId: story.partnerSessionId, parentEdgeId: worker.delegationEdgeId, actingSessionId: worker.agentSessionId, actingEdgeId: worker.delegationEdgeId });
    expect(partnerTurn.context).toMatchObject({
      clientId: PARTNER_APP,
      agentSessionId: story.partnerSessionId,
      delegationEdgeId: delegated.delegationEdgeId,
      parentEdgeId: worker.delegationEdgeId,
      traceId: orchestrator.traceId,
    });
    expect(partnerTurn.context?.subjectToken).toBe(story.sessionMandates.partner);
  });

  it('gives every MCP tool call its own mandate for the tools server, carrying the caller\'s chain', () => {
    const chain = [story.worker.delegationEdgeId, story.delegated.delegationEdgeId];
    expect(story.toolCalls).toHaveLength(2);
    expect(new Set(story.toolCalls.map((call) => call.token)).size).toBe(2);
    expect(new Set(story.toolCalls.map((call) => call.claims.jti)).size).toBe(2);
    for (const call of story.toolCalls) {
      expect(call.claims).toMatchObject({ aud: TOOLS_RESOURCE, use: 'call', client_id: PARTNER_APP, agent_session_id: story.partnerSessionId, delegation_edge_id: story.delegated.delegationEdgeId });
      expect(call.claims.delegation_path).toEqual(chain);
      expect(decodeJwt(call.token).jti).toBe(call.claims.jti);
      // The handler's current() is the caller's context, rebuilt from the verified claims.
      expect(call.context).toMatchObject({ agentSessionId: story.partnerSessionId, delegationEdgeId: story.delegated.delegationEdgeId, clientId: PARTNER_APP });
    }
  });

  it('never lets a session mandate reach the MCP server', () => {
    expect(story.toolAuthorizations.length).toBeGreaterThanOrEqual(story.toolCalls.length);
    const seen = story.toolAuthorizations.map((header) => header.replace(/^Bearer /, ''));
    for (const token of seen) {
      expect(token).not.toBe(story.sessionMandates.partner);
      expect(token).not.toBe(story.sessionMandates.orchestrator);
      expect(decodeJwt(token)).toMatchObject({ aud: TOOLS_RESOURCE, use: 'call' });
    }
  });

  it('lets the billing agent see the partner acting under the edge', () => {
    expect(story.billingCallers).toHaveLength(1);
    expect(story.billingCallers[0]).toMatchObject({ clientId: PARTNER_APP, agentSessionId: story.partnerSessionId, delegationEdgeId: story.delegated.delegationEdgeId });
    expect(BILLING_RESOURCE).toMatch(/^https:/);
  });

  it('revokes the edge: the stream in progress is cut with X-Caracal-Revoked and the next call is refused', () => {
    expect(story.revocation).toMatchObject({ edgeId: story.delegated.delegationEdgeId, revokedEdges: 1 });
    expect(story.revocation.affectedSessions).toBeGreaterThanOrEqual(1);
    expect(story.stream.revokedTrailer).toMatch(/^(agentsess_|deledge_)/);
    expect(story.stream.bytes).toBeGreaterThan(0);
    expect(story.refusal).toMatch(/401/);
  });
});
