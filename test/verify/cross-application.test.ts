import { randomUUID } from 'node:crypto';
import type { Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caracal, captureContext, current } from '@caracal/sdk';
import { createA2AFetch } from '@caracal/sdk/a2a';
import { coordinatorEdgeTrust, createVerifier, verifyNode, type CaracalIncomingMessage, type Verifier } from '@caracal/sdk/verify';
import { startServer } from '@caracal/server';

const ZONE = 'zone_verify_cross';
const BILLING = 'https://billing.verify-cross.e2e';
const LEDGER = 'mcp://ledger.verify-cross.e2e';

let stack: { url: string; close(): Promise<void> };
let orchestrator: Caracal;
let billing: Caracal;
let stranger: Caracal;
let verifier: Verifier;
let billingServer: Server;
let billingUrl: string;

beforeAll(async () => {
  const secrets = { orchestrator: randomUUID(), billing: randomUUID(), stranger: randomUUID() };
  stack = await startServer({
    port: 0,
    logger: false,
    bootstrap: {
      zones: [
        {
          id: ZONE,
          applications: [
            { id: 'app_orchestrator', secret: secrets.orchestrator, scopes: ['agents:message', 'ledger:write'] },
            { id: 'app_billing', secret: secrets.billing, scopes: ['ledger:write'] },
            { id: 'app_stranger', secret: secrets.stranger, scopes: ['agents:message'] },
          ],
          resources: [
            { id: BILLING, scopes: ['agents:message'] },
            { id: LEDGER, scopes: ['ledger:write'] },
          ],
        },
      ],
    },
  });
  orchestrator = new Caracal({ coordinatorUrl: stack.url, zoneId: ZONE, clientId: 'app_orchestrator', clientSecret: secrets.orchestrator });
  billing = new Caracal({ coordinatorUrl: stack.url, zoneId: ZONE, clientId: 'app_billing', clientSecret: secrets.billing });
  stranger = new Caracal({ coordinatorUrl: stack.url, zoneId: ZONE, clientId: 'app_stranger', clientSecret: secrets.stranger });
  verifier = createVerifier({ issuer: stack.url, zoneId: ZONE, audience: BILLING, requiredScopes: ['agents:message'] });
  const billingToken = (): Promise<string> => billing.sessionMandate();
  // The billing agent: verifies the orchestrator's mandate, then acts under the edge delegated
  // to its own session, with its own credentials, to write to the ledger.
  billingServer = createServer(
    verifyNode(
      async (request: CaracalIncomingMessage, response: ServerResponse) => {
        const context = current();
        const ledger = await billing.exchange({ resource: LEDGER, scopes: ['ledger:write'] }).then(
          (mandate) => decodeJwt(mandate.accessToken),
          (error: unknown) => ({ error: String(error) }),
        );
        response.end(JSON.stringify({ context: { ...context, subjectToken: undefined }, actingUnder: request.caracal?.actingUnder, caller: request.caracal?.claims.agent_session_id, ledger }));
      },
      {
        verifier,
        actAs: { clientId: 'app_billing', tokenSource: billingToken, trustEdge: coordinatorEdgeTrust({ url: stack.url, zoneId: ZONE, tokenSource: billingToken }) },
      },
    ),
  );
  await new Promise<void>((resolve) => billingServer.listen(0, '127.0.0.1', resolve));
  billingUrl = `http://127.0.0.1:${(billingServer.address() as AddressInfo).port}/invoices`;
});

afterAll(async () => {
  billingServer?.closeAllConnections();
  await new Promise<void>((resolve) => (billingServer === undefined ? resolve() : billingServer.close(() => resolve())));
  await verifier?.close();
  await orchestrator?.close();
  await billing?.close();
  await stranger?.close();
  await stack?.close();
});

describe('a receiver of another application acting under the edge delegated to it (the cross-application rule)', () => {
  it('verifies the caller, adopts the Coordinator-confirmed edge, and exchanges with its own credentials under it', async () => {
    // The billing agent's session stays open (in its own spawn) while the orchestrator, in a
    // separate top-level spawn, delegates to it and calls it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let billingRun!: Promise<void>;
    const billingSession = await new Promise<string>((resolve) => {
      billingRun = billing.spawn({ kind: 'service' }, async (billingContext) => {
        resolve(billingContext.agentSessionId!);
        await released;
      });
    });
    const outside = captureContext();
    const report = await orchestrator
      .spawn({ kind: 'ephemeral' }, async (orchestratorContext) =>
        orchestrator.delegate({ to: billingSession, toClientId: 'app_billing', scopes: ['ledger:write'] }, async (delegated) => {
          const send = createA2AFetch({ caracal: orchestrator, resource: BILLING, scopes: ['agents:message'] });
          const response = await send(billingUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          // Meanwhile another application, which may call billing too, names the same live edge.
          const confused = await outside(() =>
            stranger.spawn({ kind: 'ephemeral' }, async () => {
              const mandate = await stranger.exchange({ resource: BILLING, scopes: ['agents:message'] });
              const answer = await fetch(billingUrl, {
                method: 'POST',
                headers: { authorization: `Bearer ${mandate.accessToken}`, baggage: `caracal.agent_session=${billingSession},caracal.delegation_edge=${delegated.delegationEdgeId}` },
              });
              return JSON.parse(await answer.text()) as Record<string, unknown>;
            }),
          );
          return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown>, confused, billingSession, edge: delegated.delegationEdgeId, orchestratorSession: orchestratorContext.agentSessionId };
        }),
      )
      .finally(release);
    await billingRun;
    expect(report.status).toBe(200);
    const { body } = report;
    expect(body.caller).toBe(report.orchestratorSession);
    expect(body.actingUnder).toEqual({ edgeId: report.edge, agentSessionId: report.billingSession, basis: 'trusted' });
    expect(body.context).toMatchObject({ zoneId: ZONE, clientId: 'app_billing', agentSessionId: report.billingSession, delegationEdgeId: report.edge });
    expect(body.ledger).toMatchObject({ aud: LEDGER, client_id: 'app_billing', agent_session_id: report.billingSession, delegation_edge_id: report.edge });

    // The confused deputy is closed: the edge was not delegated by the stranger's session.
    expect(report.confused.actingUnder).toBeUndefined();
    expect(report.confused.context).toMatchObject({ clientId: 'app_billing' });
    expect(report.confused.context).not.toHaveProperty('delegationEdgeId');
    expect(report.confused.ledger).toMatchObject({ aud: LEDGER, client_id: 'app_billing' });
    expect(report.confused.ledger).not.toHaveProperty('delegation_edge_id');
  });
});
