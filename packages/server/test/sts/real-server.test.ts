import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.ts';
import { serverContextOf } from '../../src/testing.ts';
import { dropSchema, serverOptionsOn, testBackends } from '../helpers/backends.ts';
import {
  TOOLS_RESOURCE,
  bootstrapZone,
  clientCredentialsToken,
  decodeClaims,
  exchangeToken,
  insertAgentSession,
  tokenRequest,
  type ZoneFixture,
} from '../helpers/sts-fixtures.ts';

/** The STS over real sockets, as a resource server sees it: mandates verified against the published JWKS. */
describe.each(testBackends())('STS on a listening server on $name', (backend) => {
  let server: RunningServer;
  let schema: string | undefined;
  let zone: ZoneFixture;

  beforeAll(async () => {
    schema = backend.schema();
    server = await startServer({
      port: 0,
      logger: false,
      jobs: false,
      adminToken: 'real-server-admin',
      bootstrap: { zones: [{ id: 'zone_declared', applications: [{ id: 'app_declared', secret: 'declared-secret', scopes: ['tools:read'] }] }] },
      ...serverOptionsOn(backend, schema, false),
    });
    zone = await bootstrapZone(server);
  });
  afterAll(async () => {
    await server.close();
    await dropSchema(schema);
  });

  it('applies the bootstrap document given to startServer', async () => {
    const token = await clientCredentialsToken(server.url, 'app_declared', 'declared-secret');
    expect(decodeClaims(token)).toMatchObject({ iss: server.url, aud: server.url, zone_id: 'zone_declared', scope: 'agent:lifecycle tools:read' });
  });

  it('mints over HTTP (Basic auth) and a resource server verifies the mandate against the JWKS alone', async () => {
    const orchestrator = zone.applications.orchestrator!;
    const basic = `Basic ${Buffer.from(`${orchestrator.id}:${orchestrator.secret}`).toString('base64')}`;
    const session = await tokenRequest(server.url, { grant_type: 'client_credentials' }, { headers: { authorization: basic } });
    expect(session.status).toBe(200);
    expect(session.headers.get('cache-control')).toBe('no-store');
    const sessionId = await insertAgentSession(serverContextOf(server).database, { zoneId: zone.zoneId, applicationId: orchestrator.id });
    const exchanged = await exchangeToken(server.url, {
      subjectToken: session.body.access_token as string,
      resource: TOOLS_RESOURCE,
      scope: 'tools:call',
      agentSessionId: sessionId,
    });
    expect(exchanged.status).toBe(200);
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server?zone_id=${zone.zoneId}`)).json()) as { issuer: string; jwks_uri: string };
    expect(metadata.issuer).toBe(server.url);
    const { payload, protectedHeader } = await jwtVerify(exchanged.body.access_token as string, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
      issuer: metadata.issuer,
      audience: TOOLS_RESOURCE,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ use: 'call', agent_session_id: sessionId, scope: 'tools:call', hop_count: 0 });
  });

  it('the Coordinator accepts the session mandate as its bearer token', async () => {
    const orchestrator = zone.applications.orchestrator!;
    const token = await clientCredentialsToken(server.url, orchestrator.id, orchestrator.secret);
    const response = await fetch(`${server.url}/zones/${zone.zoneId}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'ephemeral' }),
    });
    expect(response.status).toBe(201);
    const spawned = (await response.json()) as { agent_session_id: string };
    const exchanged = await exchangeToken(server.url, { subjectToken: token, resource: TOOLS_RESOURCE, agentSessionId: spawned.agent_session_id });
    expect(exchanged.status).toBe(200);
  });

  it('an operator token from the admin API opens Coordinator routes', async () => {
    const response = await fetch(`${server.url}/admin/zones/${zone.zoneId}/operator-token`, {
      method: 'POST',
      headers: { authorization: 'Bearer real-server-admin', 'content-type': 'application/json' },
      body: '{}',
    });
    const { access_token: operatorToken } = (await response.json()) as { access_token: string };
    const listed = await fetch(`${server.url}/zones/${zone.zoneId}/agents`, { headers: { authorization: `Bearer ${operatorToken}` } });
    expect(listed.status).toBe(200);
  });
});
