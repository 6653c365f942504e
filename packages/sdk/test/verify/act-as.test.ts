import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { current } from '../../src/context/current.ts';
import { createRevocationStore, verifyNode, type ActAsOptions, type CaracalIncomingMessage, type EdgeCandidate } from '../../src/verify/index.ts';
import { listen } from './helpers/listen.ts';
import { rawRequest } from './helpers/raw-request.ts';
import { useVerifyFixture } from './helpers/verify-fixture.ts';
import { EDGE_LEAF, EDGE_ROOT, SESSION, ZONE } from './helpers/test-issuer.ts';

const RECEIVER_TOKEN = 'receiver-own-session-mandate';
const RECEIVER_SESSION = 'agentsess_RECEIVER';
const NEW_EDGE = 'deledge_TO_RECEIVER';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const store = createRevocationStore();
const fixture = useVerifyFixture({ revocation: store });

async function receive(actAs: ActAsOptions | undefined, baggage: string, claims: Record<string, unknown> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  fixture.server = await listen(
    verifyNode(
      (request: CaracalIncomingMessage, response: ServerResponse) => {
        response.end(JSON.stringify({ context: current(), actingUnder: request.caracal?.actingUnder, caller: request.caracal?.callerContext.agentSessionId }));
      },
      { verifier: fixture.verifier, actAs },
    ),
  );
  const response = await rawRequest(`${fixture.server.url}/task`, { headers: { authorization: `Bearer ${await fixture.issuer.mint(claims)}`, traceparent: TRACEPARENT, baggage } });
  return { status: response.status, json: JSON.parse(response.body.toString()) as Record<string, unknown> };
}

const baggageFor = (edge: string, session: string): string => `caracal.agent_session=${session},caracal.delegation_edge=${edge},caracal.hop=9,tenant=acme`;

describe('actAs: the receiver acting under an edge carried in baggage', () => {
  it('without actAs, baggage edges grant nothing: the context is the caller\'s verified one', async () => {
    const { json } = await receive(undefined, baggageFor(NEW_EDGE, RECEIVER_SESSION));
    expect(json.context).toMatchObject({ agentSessionId: SESSION, delegationEdgeId: EDGE_LEAF, clientId: 'app_caller' });
    expect(json.actingUnder).toBeUndefined();
  });

  it('uses the receiver\'s own credentials, and adopts no edge the caller\'s mandate does not vouch for', async () => {
    const { json } = await receive({ clientId: 'app_receiver', subjectToken: RECEIVER_TOKEN }, baggageFor(NEW_EDGE, RECEIVER_SESSION));
    expect(json.context).toEqual({
      subjectToken: RECEIVER_TOKEN,
      zoneId: ZONE,
      clientId: 'app_receiver',
      hop: 2,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      traceFlags: '01',
      baggage: { tenant: 'acme' },
    });
    expect(json.actingUnder).toBeUndefined();
    expect(json.caller).toBe(SESSION);
  });

  it('adopts an edge of the caller\'s signed delegation path (the leaf: session from the claims)', async () => {
    const { json } = await receive({ clientId: 'app_receiver', tokenSource: async () => RECEIVER_TOKEN }, baggageFor(EDGE_LEAF, 'agentsess_CLAIMED'));
    expect(json.context).toMatchObject({ subjectToken: RECEIVER_TOKEN, clientId: 'app_receiver', agentSessionId: SESSION, delegationEdgeId: EDGE_LEAF, parentEdgeId: EDGE_ROOT, hop: 2 });
    expect(json.actingUnder).toEqual({ edgeId: EDGE_LEAF, agentSessionId: SESSION, basis: 'verified' });
  });

  it('adopts an edge trustEdge approves, one hop deeper, under the caller\'s edge', async () => {
    const candidates: EdgeCandidate[] = [];
    const trustEdge = (candidate: EdgeCandidate): boolean => {
      candidates.push(candidate);
      return candidate.caller.agent_session_id === SESSION;
    };
    const { json } = await receive({ clientId: 'app_receiver', subjectToken: RECEIVER_TOKEN, trustEdge }, baggageFor(NEW_EDGE, RECEIVER_SESSION));
    expect(json.context).toMatchObject({ clientId: 'app_receiver', agentSessionId: RECEIVER_SESSION, delegationEdgeId: NEW_EDGE, parentEdgeId: EDGE_LEAF, hop: 3 });
    expect(json.actingUnder).toEqual({ edgeId: NEW_EDGE, agentSessionId: RECEIVER_SESSION, basis: 'trusted' });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({ edgeId: NEW_EDGE, agentSessionId: RECEIVER_SESSION });
  });

  it('adopts nothing when trustEdge declines', async () => {
    const { json } = await receive({ clientId: 'app_receiver', subjectToken: RECEIVER_TOKEN, trustEdge: () => false }, baggageFor(NEW_EDGE, RECEIVER_SESSION));
    expect(json.actingUnder).toBeUndefined();
    expect((json.context as Record<string, unknown>).delegationEdgeId).toBeUndefined();
  });

  it('refuses the request when the edge to act under is revoked', async () => {
    store.revoke({ edgeIds: ['deledge_REVOKED'] });
    const { status, json } = await receive({ clientId: 'app_receiver', subjectToken: RECEIVER_TOKEN, trustEdge: () => true }, baggageFor('deledge_REVOKED', RECEIVER_SESSION));
    expect(status).toBe(401);
    expect(json.error_description).toContain('deledge_REVOKED');
  });

  it('refuses going past hop 32', async () => {
    const path = Array.from({ length: 32 }, (_, index) => `deledge_${index}`);
    const { status, json } = await receive(
      { clientId: 'app_receiver', subjectToken: RECEIVER_TOKEN, trustEdge: () => true },
      baggageFor(NEW_EDGE, RECEIVER_SESSION),
      { delegation_path: path, delegation_edge_id: path.at(-1), hop_count: 32 },
    );
    expect(status).toBe(401);
    expect(json.error_description).toContain('hop 33');
  });
});
