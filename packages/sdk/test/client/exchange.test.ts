import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bind, type Caracal, type CaracalContext } from '../../src/index.ts';
import { sendJson, startFakeCaracalServer, type FakeCaracalServer } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';

let server: FakeCaracalServer;
let caracal: Caracal;

const context: CaracalContext = { subjectToken: 'someone-elses-mandate', zoneId: ZONE, clientId: 'app_caller', agentSessionId: 'agentsess_me', delegationEdgeId: 'deledge_mine', hop: 1 };

beforeEach(async () => {
  server = await startFakeCaracalServer();
  ({ caracal } = testClient(server, { stsUrl: `${server.url}/sts` }));
  server.route('POST /sts/oauth/2/token', (_request, response) =>
    sendJson(response, 200, { access_token: 'per-call-1', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 300, scope: 'tools:call' }));
});

afterEach(async () => {
  await caracal.close();
  await server.close();
});

describe('caracal.exchange()', () => {
  it('sends an RFC 8693 exchange of the client\'s own mandate, presenting the context\'s session and edge', async () => {
    const mandate = await bind(context, () => caracal.exchange({ resource: 'mcp://tools.local', scopes: ['tools:call', 'tools:list'] }));
    const [request] = server.requestsTo('POST /sts/oauth/2/token');
    expect(request?.form).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: TOKEN,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: 'mcp://tools.local',
      scope: 'tools:call tools:list',
      agent_session_id: 'agentsess_me',
      delegation_edge_id: 'deledge_mine',
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(mandate).toMatchObject({ accessToken: 'per-call-1', tokenType: 'Bearer', expiresIn: 300, scope: 'tools:call', issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token' });
    expect(mandate.expiresAt).toBeGreaterThan(0);
    expect(CLIENT).toBe('app_test');
  });

  it('fails closed outside a context', async () => {
    await expect(caracal.exchange({ resource: 'mcp://tools.local' })).rejects.toMatchObject({ code: 'NO_ACTIVE_CONTEXT' });
    expect(server.requests).toHaveLength(0);
  });

  it('reports a refusal as TOKEN_EXCHANGE_FAILED with the STS\'s code', async () => {
    server.route('POST /sts/oauth/2/token', (_request, response) =>
      sendJson(response, 400, { error: 'invalid_target', error_description: 'unknown resource' }, { 'x-request-id': 'req_sts' }));
    await expect(bind(context, () => caracal.exchange({ resource: 'mcp://nowhere' }))).rejects.toMatchObject({
      code: 'TOKEN_EXCHANGE_FAILED', status: 400, serverCode: 'invalid_target', requestId: 'req_sts',
    });
  });

  it('refuses a missing resource', async () => {
    await expect(bind(context, () => caracal.exchange({ resource: '' }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
