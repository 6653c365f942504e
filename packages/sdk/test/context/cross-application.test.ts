import { describe, expect } from 'vitest';
import { bind, current, type CaracalContext } from '../../src/index.ts';
import { inject } from '../../src/propagation/index.ts';
import { clientTest } from '../support/client-fixture.ts';
import type { FakeCaracalServer } from '../support/fake-caracal-server.ts';
import { CLIENT, ZONE } from '../support/test-client.ts';

const source: CaracalContext = { subjectToken: 'session-token', zoneId: ZONE, clientId: CLIENT, agentSessionId: 'agentsess_worker', delegationEdgeId: 'deledge_inherited', hop: 1 };

function exchangeForms(server: FakeCaracalServer): Array<Record<string, string> | undefined> {
  return server.requestsTo('POST /oauth/2/token').map((request) => request.form).filter((form) => form?.grant_type !== 'client_credentials');
}

describe('delegate() to a session of another application', () => {
  clientTest('binds the target and the new edge, but exchanges present the delegator\'s own session and edge', async ({ server, caracal }) => {
    const seen = await bind(source, () =>
      caracal.delegate({ to: 'agentsess_01jpartner0000000000000000', toClientId: 'app_partner', scopes: ['agents:message'] }, async (child) => {
        await caracal.exchange({ resource: 'https://partner.agent', scopes: ['agents:message'] });
        return { child, headers: caracal.headers() };
      }),
    );
    expect(seen.child).toMatchObject({
      agentSessionId: 'agentsess_01jpartner0000000000000000',
      parentEdgeId: 'deledge_inherited',
      actingSessionId: 'agentsess_worker',
      actingEdgeId: 'deledge_inherited',
      hop: 2,
    });
    const edge = seen.child.delegationEdgeId;
    expect(edge).toMatch(/^deledge_/);
    expect(exchangeForms(server)).toEqual([expect.objectContaining({ agent_session_id: 'agentsess_worker', delegation_edge_id: 'deledge_inherited', resource: 'https://partner.agent' })]);
    // The new edge and its target travel in baggage, for the partner's middleware to adopt.
    expect(seen.headers.baggage).toContain(`caracal.delegation_edge=${edge}`);
    expect(seen.headers.baggage).toContain('caracal.agent_session=agentsess_01jpartner0000000000000000');
    const [created] = server.requestsTo('POST /zones/*/delegations');
    expect(created?.json).toMatchObject({ source_session_id: 'agentsess_worker', target_session_id: 'agentsess_01jpartner0000000000000000', receiver_application_id: 'app_partner', parent_edge_id: 'deledge_inherited' });
  });

  clientTest('presents only the session when the delegator had no edge of its own', async ({ server, caracal }) => {
    const root: CaracalContext = { ...source, delegationEdgeId: undefined, hop: 0 };
    await bind(root, () =>
      caracal.delegate({ to: 'agentsess_01jpartner0000000000000000', toClientId: 'app_partner', scopes: ['agents:message'] }, () => caracal.exchange({ resource: 'https://partner.agent' })),
    );
    const [form] = exchangeForms(server);
    expect(form).toMatchObject({ agent_session_id: 'agentsess_worker' });
    expect(form?.delegation_edge_id).toBeUndefined();
  });

  clientTest('keeps the delegator\'s authority through a further delegation to another application', async ({ server, caracal }) => {
    const child = await bind(source, () =>
      caracal.delegate({ to: 'agentsess_01jpartner0000000000000000', toClientId: 'app_partner', scopes: ['agents:message'] }, () =>
        caracal.delegate({ to: 'agentsess_01jth1rd000000000000000000', toClientId: 'app_third', scopes: ['agents:message'] }, async () => {
          await caracal.exchange({ resource: 'https://third.agent' });
          return current();
        }),
      ),
    );
    expect(child).toMatchObject({ agentSessionId: 'agentsess_01jth1rd000000000000000000', actingSessionId: 'agentsess_worker', actingEdgeId: 'deledge_inherited', hop: 3 });
    expect(exchangeForms(server)[0]).toMatchObject({ agent_session_id: 'agentsess_worker', delegation_edge_id: 'deledge_inherited' });
  });
});

describe('delegate() within the same application', () => {
  clientTest('acts as the target: exchanges present the target session and the new edge', async ({ server, caracal }) => {
    for (const toClientId of [undefined, CLIENT]) {
      const child = await bind(source, () =>
        caracal.delegate({ to: 'agentsess_01js1b11ng0000000000000000', toClientId, scopes: ['tools:call'] }, async (bound) => {
          await caracal.exchange({ resource: 'mcp://tools.local' });
          return bound;
        }),
      );
      expect(child.actingSessionId).toBeUndefined();
      expect(child.actingEdgeId).toBeUndefined();
      expect(exchangeForms(server).at(-1)).toMatchObject({ agent_session_id: 'agentsess_01js1b11ng0000000000000000', delegation_edge_id: child.delegationEdgeId });
    }
  });

  clientTest('never writes the acting fields onto the wire', () => {
    const headers: Record<string, string> = {};
    inject({ ...source, actingSessionId: 'agentsess_secret_acting', actingEdgeId: 'deledge_secret_acting' }, headers);
    expect(JSON.stringify(headers)).not.toContain('secret_acting');
  });
});
