import { EDGE_LIFETIME_MAX_SECONDS } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { applyBootstrap } from '../../src/sts/bootstrap.ts';
import { testBackends } from '../helpers/backends.ts';
import {
  TOOLS_RESOURCE,
  bootstrapZone,
  decodeClaims,
  injectExchange,
  injectTokenRequest,
  type FixtureApplication,
  type ZoneFixture,
} from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

/**
 * The bounds of what an exchange mints (issue 11, F2–F4): the subject token's own scope, the
 * caveats of a spawn grant whether or not the edge is named, and the application's scopes as
 * they stand at mint time. Everything goes through the real routes: client_credentials, the
 * Coordinator's spawn and delegation, and the token exchange.
 */
describe.each(testBackends())('exchange authority bounds on $name', (backend) => {
  const suite = useStsSuite(backend);

  /** A fresh zone per test: the operator edits its applications' scopes. */
  const freshZone = () =>
    bootstrapZone(suite.sts, {
      applications: { orchestrator: { scopes: ['tools:call', 'tools:read'] }, worker: { scopes: ['tools:call', 'tools:read'] } },
    });

  const sessionMandate = async (application: FixtureApplication, scope?: string): Promise<string> => {
    const answer = await injectTokenRequest(suite.sts.app, {
      grant_type: 'client_credentials',
      client_id: application.id,
      client_secret: application.secret,
      scope,
    });
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };

  const exchange = (subjectToken: string, form: { scope?: string; agent_session_id?: string; delegation_edge_id?: string } = {}) =>
    injectExchange(suite.sts.app, subjectToken, { resource: TOOLS_RESOURCE, ...form });

  const post = async (token: string, url: string, body: unknown) => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };

  const spawn = async (zone: ZoneFixture, token: string, body: Record<string, unknown> = {}) => {
    const answer = await post(token, `/zones/${zone.zoneId}/agents`, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as { agent_session_id: string; delegation_edge_id: string | null; scopes: string[] | null };
  };

  /** The operator edits an application's scopes in the config file and restarts: the bootstrap runs again. */
  const operatorSetsScopes = (zone: ZoneFixture, name: string, scopes: string[]) =>
    applyBootstrap(suite.sts.context, {
      zones: [
        {
          id: zone.zoneId,
          applications: [{ id: zone.applications[name]!.id, secret: zone.applications[name]!.secret, scopes }],
        },
      ],
    });

  describe('F2: a narrowed session mandate mints within its scope', () => {
    it('defaults to the subject token scope and refuses a scope beyond it', async () => {
      const zone = await freshZone();
      const narrowed = await sessionMandate(zone.applications.orchestrator!, 'tools:read');

      const byDefault = await exchange(narrowed);
      expect(byDefault.status).toBe(200);
      expect(byDefault.body.scope).toBe('tools:read');

      const beyond = await exchange(narrowed, { scope: 'tools:call' });
      expect(beyond.status).toBe(400);
      expect(beyond.body.error).toBe('invalid_scope');
    });

    it('bounds a session spawned with the narrowed mandate, whichever mandate presents it later', async () => {
      const zone = await freshZone();
      const orchestrator = zone.applications.orchestrator!;
      const narrowed = await sessionMandate(orchestrator, 'agent:lifecycle tools:read');
      const session = await spawn(zone, narrowed, { grant: 'inherit' });
      expect(session.scopes).toEqual(['tools:read']);

      const full = await sessionMandate(orchestrator);
      const minted = await exchange(full, { agent_session_id: session.agent_session_id });
      expect(minted.status).toBe(200);
      expect(minted.body.scope).toBe('tools:read');
      expect((await exchange(full, { agent_session_id: session.agent_session_id, scope: 'tools:call' })).body.error).toBe('invalid_scope');
    });

    it('bounds the narrowed mandate presenting a session opened with the full one, and its child', async () => {
      const zone = await freshZone();
      const orchestrator = zone.applications.orchestrator!;
      const full = await sessionMandate(orchestrator);
      const root = await spawn(zone, full);
      expect(root.scopes).toBeNull();
      const child = await spawn(zone, full, { parent_id: root.agent_session_id });

      const narrowed = await sessionMandate(orchestrator, 'tools:read');
      expect((await exchange(narrowed, { agent_session_id: root.agent_session_id })).body.scope).toBe('tools:read');
      const throughEdge = await exchange(narrowed, { agent_session_id: child.agent_session_id, delegation_edge_id: child.delegation_edge_id! });
      expect(throughEdge.status).toBe(200);
      expect(throughEdge.body.scope).toBe('tools:read');
    });
  });

  describe('F3: a narrow grant keeps its caveats', () => {
    const narrow = { mode: 'narrow', scopes: ['tools:read'], constraints: { budget: 1, ttl_seconds: 60 } };

    it('a narrowed root session: budget 1 gives exactly one mandate, living at most ttl_seconds', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const root = await spawn(zone, token, { grant: narrow });

      const first = await exchange(token, { agent_session_id: root.agent_session_id });
      expect(first.status).toBe(200);
      expect(first.body.expires_in).toBeLessThanOrEqual(60);
      const claims = decodeClaims(first.body.access_token as string);
      expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(60);

      const second = await exchange(token, { agent_session_id: root.agent_session_id });
      expect(second.status).toBe(403);
      expect(second.body.error).toBe('access_denied');
    });

    it('a narrowed child that omits delegation_edge_id still mints through its edge, budget and ttl included', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const root = await spawn(zone, token);
      const child = await spawn(zone, token, { parent_id: root.agent_session_id, grant: narrow });
      expect(child.delegation_edge_id).not.toBeNull();

      const first = await exchange(token, { agent_session_id: child.agent_session_id });
      expect(first.status).toBe(200);
      expect(first.body.expires_in).toBeLessThanOrEqual(60);
      const claims = decodeClaims(first.body.access_token as string);
      expect(claims.delegation_edge_id).toBe(child.delegation_edge_id);
      expect(claims.hop_count).toBe(1);

      for (const form of [{ agent_session_id: child.agent_session_id }, { agent_session_id: child.agent_session_id, delegation_edge_id: child.delegation_edge_id! }]) {
        const again = await exchange(token, form);
        expect(again.status).toBe(403);
        expect(again.body.error).toBe('access_denied');
      }
    });

    it('a narrowed root budget of 3 under 12 concurrent exchanges mints exactly 3', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const root = await spawn(zone, token, { grant: { ...narrow, constraints: { budget: 3 } } });
      const answers = await Promise.all(Array.from({ length: 12 }, () => exchange(token, { agent_session_id: root.agent_session_id })));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
      expect(answers.filter((answer) => answer.status === 403 && answer.body.error === 'access_denied')).toHaveLength(9);
    });

    it('a narrowed root shares one budget with every edge below it', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const root = await spawn(zone, token, { grant: narrow });
      const child = await spawn(zone, token, { parent_id: root.agent_session_id });

      expect((await exchange(token, { agent_session_id: child.agent_session_id })).status).toBe(200);
      const fromRoot = await exchange(token, { agent_session_id: root.agent_session_id });
      expect(fromRoot.status).toBe(403);
      expect(fromRoot.body.error).toBe('access_denied');
    });
  });

  describe('F4: authority is bounded by the application scopes at mint time', () => {
    it('a narrow-grant session ceiling no longer mints a scope the operator removed', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const root = await spawn(zone, token, { grant: { mode: 'narrow', scopes: ['tools:call'] } });
      expect((await exchange(token, { agent_session_id: root.agent_session_id })).body.scope).toBe('tools:call');

      await operatorSetsScopes(zone, 'orchestrator', ['tools:read']);
      const after = await exchange(await sessionMandate(zone.applications.orchestrator!), { agent_session_id: root.agent_session_id });
      expect(after.status).toBe(400);
      expect(after.body.error).toBe('invalid_scope');
      // A session mandate minted before the edit carries the removed scope; it does not bring it back.
      expect((await exchange(token, { agent_session_id: root.agent_session_id })).body.error).toBe('invalid_scope');
    });

    it('an edge to another application no longer grants a scope its issuer lost', async () => {
      const zone = await freshZone();
      const orchestratorToken = await sessionMandate(zone.applications.orchestrator!);
      const workerToken = await sessionMandate(zone.applications.worker!);
      const source = await spawn(zone, orchestratorToken);
      const target = await spawn(zone, workerToken);
      const edge = await post(orchestratorToken, `/zones/${zone.zoneId}/delegations`, {
        source_session_id: source.agent_session_id,
        target_session_id: target.agent_session_id,
        scopes: ['tools:call', 'tools:read'],
      });
      expect(edge.status).toBe(201);
      const form = { agent_session_id: target.agent_session_id, delegation_edge_id: edge.body.delegation_edge_id as string, scope: 'tools:call' };
      expect((await exchange(workerToken, form)).status).toBe(200);

      await operatorSetsScopes(zone, 'orchestrator', ['tools:read']);
      const after = await exchange(workerToken, form);
      expect(after.status).toBe(400);
      expect(after.body.error).toBe('invalid_scope');
      expect((await exchange(workerToken, { ...form, scope: undefined })).body.scope).toBe('tools:read');
    });

    it('a root edge from a session without a TTL lives at most EDGE_LIFETIME_MAX_SECONDS', async () => {
      const zone = await freshZone();
      const orchestratorToken = await sessionMandate(zone.applications.orchestrator!);
      const source = await spawn(zone, orchestratorToken);
      const target = await spawn(zone, await sessionMandate(zone.applications.worker!));
      const delegate = (terms: Record<string, unknown>) =>
        post(orchestratorToken, `/zones/${zone.zoneId}/delegations`, {
          source_session_id: source.agent_session_id,
          target_session_id: target.agent_session_id,
          scopes: ['tools:read'],
          ...terms,
        });

      for (const terms of [{ expires_at: '2099-01-01T00:00:00.000Z' }, { ttl_seconds: EDGE_LIFETIME_MAX_SECONDS + 1 }]) {
        const refused = await delegate(terms);
        expect(refused.status).toBe(400);
        expect(refused.body.error).toBe('lifetime_exceeded');
      }
      const longest = await delegate({ ttl_seconds: EDGE_LIFETIME_MAX_SECONDS });
      expect(longest.status).toBe(201);
      expect(Date.parse(longest.body.expires_at as string)).toBe(suite.sts.clock.now() + EDGE_LIFETIME_MAX_SECONDS * 1000);
    });
  });

  describe('decided (docs/decisions/2026-12-04-verify-and-attestation-semantics.md)', () => {
    it('/v1/verify answers wrong_use for a session mandate, with or without audience; a per-call mandate stays valid', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const verify = async (body: Record<string, unknown>) =>
        (await suite.sts.app.inject({ method: 'POST', url: '/v1/verify', remoteAddress: '10.9.0.1', payload: body })).json<Record<string, unknown>>();

      expect(await verify({ token, required_scopes: ['tools:call'] })).toMatchObject({ valid: false, error: 'wrong_use' });
      expect(await verify({ token, audience: suite.sts.issuer })).toMatchObject({ valid: false, error: 'wrong_use' });
      const call = (await exchange(token)).body.access_token as string;
      expect(await verify({ token: call, audience: TOOLS_RESOURCE })).toMatchObject({ valid: true });
      // The body's zone_id, as the /v1 contract names it, is read (it used to be refused as an unknown field).
      expect(await verify({ token: call, zone_id: zone.zoneId })).toMatchObject({ valid: true });
      expect(await verify({ token: call, zone_id: 'zone_elsewhere' })).toMatchObject({ valid: false, error: 'wrong_zone' });
    });

    it('policy_approved only narrows: below an edge marked false, a child cannot mark it true', async () => {
      const zone = await freshZone();
      const token = await sessionMandate(zone.applications.orchestrator!);
      const [a, b, c] = [await spawn(zone, token), await spawn(zone, token), await spawn(zone, token)];
      const delegate = (body: Record<string, unknown>) => post(token, `/zones/${zone.zoneId}/delegations`, { scopes: ['tools:read'], ...body });
      const parent = await delegate({ source_session_id: a.agent_session_id, target_session_id: b.agent_session_id, constraints: { policy_approved: false } });
      expect(parent.status).toBe(201);

      const child = { source_session_id: b.agent_session_id, target_session_id: c.agent_session_id, parent_edge_id: parent.body.delegation_edge_id };
      const flipped = await delegate({ ...child, constraints: { policy_approved: true } });
      expect(flipped.status).toBe(403);
      expect(flipped.body.error).toBe('authority_exceeded');
      const inherited = await delegate(child);
      expect(inherited.status).toBe(201);
      expect(inherited.body.constraints).toMatchObject({ policy_approved: false });
    });
  });
});
