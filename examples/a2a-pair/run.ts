/**
 * A2A pair: app_orchestrator's agent delegates to app_partner's agent and messages it over A2A
 * (@a2a-js/sdk client with createA2AFetch as fetchImpl, agent card included). The partner's
 * express server verifies each mandate and, with `actAs`, acts under the delegation edge with its
 * OWN credentials: its own exchange names the edge but carries app_partner's client id.
 */
import { current, type CaracalContext } from '@caracal/sdk';
import { verifyExpress } from '@caracal/sdk/verify';
import { sendText, startA2AAgent } from '../demo/story/a2a-agent.ts';
import { BILLING_RESOURCE, ORCHESTRATOR_APP, PARTNER_APP, PARTNER_RESOURCE, startStack } from '../demo/story/stack.ts';
import { decodeJwt } from 'jose';

/** What the partner did for one message: the context the middleware bound, and its own mandate. */
interface Turn {
  readonly context: CaracalContext | undefined;
  readonly ownMandate: Record<string, unknown>;
}

const stack = await startStack();
const { orchestrator, partner } = stack;
const failures: string[] = [];
const check = (ok: boolean, what: string): void => void (ok || failures.push(what));
const short = (claims: Record<string, unknown>): string =>
  `client ${String(claims.client_id)} session ${String(claims.agent_session_id)} edge ${String(claims.delegation_edge_id ?? '-')} aud ${JSON.stringify(claims.aud)}`;

// app_partner's process holds one long-lived session: the target of the orchestrator's edge.
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));
let opened: (context: CaracalContext) => void = () => undefined;
const partnerOpened = new Promise<CaracalContext>((resolve) => (opened = resolve));
const partnerRun = partner.spawn({ kind: 'service', labels: { role: 'partner' } }, async (context) => {
  opened(context);
  await held;
});
const partnerSession = await Promise.race([partnerOpened, partnerRun.then(() => Promise.reject(new Error('the partner session ended early')))]);

const turns: Turn[] = [];
const agent = await startA2AAgent({
  name: 'partner-agent',
  guard: verifyExpress({
    verifier: await stack.verifier(PARTNER_RESOURCE),
    requiredScopes: ['agents:message'],
    actAs: {
      clientId: PARTNER_APP,
      tokenSource: () => partner.sessionMandate(),
      // Adopt only edges that target our own session; the STS re-checks source and ownership.
      trustEdge: (candidate) => candidate.agentSessionId === partnerSession.agentSessionId,
    },
  }),
  answer: async (text) => {
    // Runs in the context the middleware bound: our credentials, the caller's edge.
    const { accessToken } = await partner.exchange({ resource: BILLING_RESOURCE, scopes: ['agents:message'] });
    turns.push({ context: current(), ownMandate: decodeJwt(accessToken) });
    return `partner handled "${text}"`;
  },
});

try {
  await orchestrator.spawn({ kind: 'instance', labels: { role: 'orchestrator' } }, async (root) => {
    console.log(`spawned   ${root.agentSessionId} (${ORCHESTRATOR_APP})`);
    await orchestrator.delegate({ to: partnerSession.agentSessionId!, toClientId: PARTNER_APP, scopes: ['agents:message'], ttlSeconds: 300 }, async (delegated) => {
      console.log(`delegated ${delegated.delegationEdgeId} → ${partnerSession.agentSessionId} (${PARTNER_APP}, hop ${delegated.hop})`);
      for (const text of ['reconcile invoice 42', 'reconcile invoice 43']) {
        const reply = await sendText(orchestrator, agent.url, PARTNER_RESOURCE, text);
        console.log(`sent      "${text}" → ${reply}`);
        check(reply === `partner handled "${text}"`, `reply to "${text}"`);
        const turn = turns.at(-1);
        if (turn === undefined) throw new Error('the partner recorded no turn');
        const bound = turn.context;
        console.log(`  partner context: client ${bound?.clientId} session ${bound?.agentSessionId} edge ${bound?.delegationEdgeId} hop ${bound?.hop}`);
        console.log(`  partner's own mandate: ${short(turn.ownMandate)}`);
        check(bound?.clientId === PARTNER_APP && bound.agentSessionId === partnerSession.agentSessionId, 'the partner context is not its own session');
        check(bound?.delegationEdgeId === delegated.delegationEdgeId, 'the partner context is not under the edge');
        check(turn.ownMandate.client_id === PARTNER_APP && turn.ownMandate.delegation_edge_id === delegated.delegationEdgeId, "the partner's exchange did not act under the edge");
        check(turn.ownMandate.aud === BILLING_RESOURCE, "the partner's mandate audience");
      }
    });
  });

  const inbound = agent.authorizations.map((header) => header.replace(/^Bearer /, ''));
  const claims = inbound.map((token) => decodeJwt(token));
  for (const [index, mandate] of claims.entries()) console.log(`inbound ${index + 1}  ${short(mandate)} jti ${String(mandate.jti)}`);
  check(inbound.length >= 4, `expected a card and a message request per send, got ${inbound.length} requests`);
  check(new Set(inbound).size === inbound.length, 'a mandate was presented twice');
  check(claims.every((mandate) => mandate.aud === PARTNER_RESOURCE && mandate.client_id === ORCHESTRATOR_APP), 'an inbound mandate is not the orchestrator\'s for the partner resource');
  check(!inbound.includes(await orchestrator.sessionMandate()), "the orchestrator's session mandate reached the partner");
} finally {
  await agent.close();
  release();
  await partnerRun.catch(() => undefined);
  await stack.close();
}

if (failures.length > 0) {
  console.error(`✗ a2a-pair failed: ${failures.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('✓ a2a-pair ok');
}
