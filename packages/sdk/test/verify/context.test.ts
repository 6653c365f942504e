import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '../../src/verify/index.ts';
import { AUDIENCE, EDGE_LEAF, EDGE_ROOT, SESSION, startTestIssuer, ZONE, type TestIssuer } from './helpers/test-issuer.ts';

let issuer: TestIssuer;
let verifier: Verifier;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: AUDIENCE });
});

afterAll(async () => {
  await verifier.close();
  await issuer.close();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('the context rebuilt from a verified mandate', () => {
  it('comes from verified claims: token, zone, client, session, edge, parent edge, hop', async () => {
    const token = await issuer.mint({ delegation_path: ['deledge_a', EDGE_ROOT, EDGE_LEAF], hop_count: 3 });
    const { context } = await verifier.verify(token);
    expect(context).toEqual({
      subjectToken: token,
      zoneId: ZONE,
      clientId: 'app_caller',
      agentSessionId: SESSION,
      delegationEdgeId: EDGE_LEAF,
      parentEdgeId: EDGE_ROOT,
      hop: 3,
    });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('ignores baggage that claims another session, edge or hop; keeps trace state and foreign baggage', async () => {
    const token = await issuer.mint();
    const { context } = await verifier.verify(token, {
      headers: {
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        tracestate: 'vendor=abc',
        baggage: 'caracal.agent_session=agentsess_ATTACKER,caracal.delegation_edge=deledge_FORGED,caracal.parent_edge=deledge_X,caracal.hop=0,tenant=acme',
      },
    });
    expect(context.agentSessionId).toBe(SESSION);
    expect(context.delegationEdgeId).toBe(EDGE_LEAF);
    expect(context.parentEdgeId).toBe(EDGE_ROOT);
    expect(context.hop).toBe(2);
    expect(context.traceId).toBe(TRACE_ID);
    expect(context.traceFlags).toBe('01');
    expect(context.traceState).toBe('vendor=abc');
    expect(context.baggage).toEqual({ tenant: 'acme' });
    expect(JSON.stringify(context)).not.toContain('ATTACKER');
  });

  it('has no session or edge when the mandate has none', async () => {
    const token = await issuer.mint({ agent_session_id: undefined, delegation_edge_id: undefined, delegation_path: [], hop_count: 0 });
    const { context } = await verifier.verify(token, { headers: { baggage: 'caracal.agent_session=agentsess_ATTACKER' } });
    expect(context).toEqual({ subjectToken: token, zoneId: ZONE, clientId: 'app_caller', hop: 0 });
  });

  it('takes no parent edge from a one-edge path', async () => {
    const { context } = await verifier.verify(await issuer.mint({ delegation_path: [EDGE_LEAF], hop_count: 1 }));
    expect(context.parentEdgeId).toBeUndefined();
    expect(context.delegationEdgeId).toBe(EDGE_LEAF);
  });
});
