import { defaultConsoleDir, loadConsoleAssets } from '../../../src/console/console-assets.ts';
import { ACCESS_TOKEN_TYPE, FILES_RESOURCE, TOKEN_EXCHANGE_GRANT, TOOLS_RESOURCE, bootstrapZone, injectSessionToken, type StsTestApp } from '../../helpers/sts-fixtures.ts';

/** What the fuzz's requests aim at: a zone with live records, and the credentials to reach them. */
export interface FuzzFixtures {
  zoneId: string;
  /** A zone of the admin API's own, whose keys and applications the fuzz may change freely. */
  adminZoneId: string;
  orchestrator: { id: string; secret: string };
  token: string;
  adminToken: string;
  /** An operator mandate of `zoneId` (caracal:admin): blueprints are written with one. */
  operatorToken: string;
  /** A blueprint of the zone. */
  blueprint: string;
  session: string;
  peer: string;
  edge: string;
  invocation: string;
  service: string;
  /** A pending run, and a runner that serves a blueprint no run names (its polls never claim). */
  run: string;
  runner: string;
  /** Fresh targets for routes that change what they act on (a terminated session answers nothing more). */
  fresh: {
    session(): Promise<string>;
    suspendedSession(): Promise<string>;
    edge(): Promise<string>;
    invocation(): Promise<string>;
    startedInvocation(): Promise<string>;
    service(): Promise<string>;
    /** A seed session whose run finished (it has a result). */
    finishedSession(): Promise<string>;
    /** A seed session that may be deleted (pending). */
    seedSession(): Promise<string>;
    /** A pending run and its session. */
    run(): Promise<{ run: string; session: string }>;
    /** A run claimed (or further) by a runner of its own, and that runner. */
    claimedRun(state?: 'claimed' | 'running' | 'stopping'): Promise<{ run: string; runner: string }>;
    runner(): Promise<string>;
    blueprint(): Promise<string>;
  };
}

/** A request a route accepts, before the fuzz puts a string somewhere in it. */
export interface BaseRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body… */
  body?: Record<string, unknown>;
  /** …or a form body (the token endpoint). */
  form?: Record<string, string>;
}

/** Routes whose body is a form (RFC 6749), not JSON. */
export const FORM_ROUTES: ReadonlySet<string> = new Set(['POST /oauth/2/token']);

type Base = (fixtures: FuzzFixtures) => BaseRequest | Promise<BaseRequest>;

/** A file the built console has (the root build builds it before the server's tests run). */
function consoleAssetName(): string {
  const [name] = loadConsoleAssets(defaultConsoleDir()).assets.keys();
  if (name === undefined) throw new Error('the console is not built: run `pnpm run build` before the string fuzz');
  return name;
}

let sids = 0;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const user = (f: FuzzFixtures) => bearer(f.token);
const admin = (f: FuzzFixtures) => bearer(f.adminToken);
const operator = (f: FuzzFixtures) => bearer(f.operatorToken);
const zone = (f: FuzzFixtures) => ({ zoneId: f.zoneId });
const adminZone = (f: FuzzFixtures) => ({ zoneId: f.adminZoneId });
const page = { limit: '5' };

const spawnBody = (f: FuzzFixtures) => ({
  kind: 'instance',
  parent_id: f.session,
  capabilities: ['search'],
  labels: { team: 'fuzz' },
  metadata: { note: 'm' },
  grant: { mode: 'narrow', scopes: ['tools:call'], resource_id: TOOLS_RESOURCE, constraints: { budget: 5 } },
  session_sid: `sid-${(sids += 1)}`,
});
const eventBody = () => ({
  event_type: 'post_tool',
  run_id: 'run-1',
  timestamp: '2030-01-01T00:00:00Z',
  tool_name: 'search',
  tool_input: { query: 'q' },
  tool_output: { text: 'out' },
  error: 'e',
  reason: 'r',
  role: 'assistant',
  content: [{ type: 'text', text: 't' }],
  result_text: 'done',
  result_data: { answer: 'a' },
});
const blueprintFields = () => ({
  description: 'fuzzed blueprint',
  system_prompt: '# prompt',
  mcp_servers: { tools: { url: 'http://tools.test/mcp' } },
  skills: ['search'],
  tags: ['fuzz'],
  authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:call'] }], constraints: { budget: 3 } },
});
const delegationBody = (f: FuzzFixtures) => ({
  source_session_id: f.session,
  target_session_id: f.peer,
  scopes: ['tools:call'],
  resource_id: TOOLS_RESOURCE,
  ttl_seconds: 60,
  constraints: { max_hops: 3 },
});

/**
 * One or more accepted requests per route, keyed `METHOD url` as the app registers it. The fuzz
 * fails naming any route the app has and this table does not, so a new route cannot go unfuzzed.
 */
export const BASE_REQUESTS: Record<string, Base[]> = {
  'GET /metrics': [() => ({})],
  // The CORS preflight (@fastify/cors): any path, an origin and the method it asks for.
  'OPTIONS *': [() => ({ params: { '*': 'health' }, headers: { origin: 'https://console.example', 'access-control-request-method': 'GET' } })],
  'GET /health': [() => ({})],
  // The operator console's static files: public, no token; an asset is named by its hashed file name.
  'GET /console': [() => ({})],
  'GET /console/': [() => ({})],
  'GET /console/assets/:file': [() => ({ params: { file: consoleAssetName() } })],
  'GET /ready': [() => ({})],
  'POST /oauth/2/token': [
    (f) => ({ form: { grant_type: 'client_credentials', client_id: f.orchestrator.id, client_secret: f.orchestrator.secret, scope: 'tools:call' } }),
    (f) => ({
      headers: { authorization: `Basic ${Buffer.from(`${f.orchestrator.id}:${f.orchestrator.secret}`).toString('base64')}` },
      form: { grant_type: 'client_credentials' },
    }),
    (f) => ({
      form: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: f.token,
        subject_token_type: ACCESS_TOKEN_TYPE,
        resource: TOOLS_RESOURCE,
        scope: 'tools:call',
        agent_session_id: f.session,
      },
    }),
  ],
  'GET /.well-known/jwks.json': [(f) => ({ query: { zone_id: f.zoneId } })],
  'GET /.well-known/oauth-authorization-server': [(f) => ({ query: { zone_id: f.zoneId } })],
  'POST /v1/verify': [(f) => ({ body: { token: f.token, required_scopes: ['tools:call'], audience: f.zoneId, max_hops: 3 } })],
  'POST /v1/begin': [(f) => ({ headers: user(f), body: { zone_id: f.zoneId, ...spawnBody(f) } })],
  'POST /v1/end': [async (f) => ({ headers: user(f), body: { zone_id: f.zoneId, agent_session_id: await f.fresh.session() } })],
  'POST /v1/exchange': [(f) => ({ headers: user(f), body: { zone_id: f.zoneId, ...delegationBody(f) } })],
  'POST /admin/zones': [(f) => ({ headers: admin(f), body: { name: 'fuzzed zone' } })],
  'GET /admin/zones': [(f) => ({ headers: admin(f), query: page })],
  'POST /admin/zones/:zoneId/applications': [(f) => ({ headers: admin(f), params: adminZone(f), body: { name: 'fuzzed app', scopes: ['tools:call'] } })],
  'GET /admin/zones/:zoneId/applications': [(f) => ({ headers: admin(f), params: adminZone(f), query: page })],
  'POST /admin/zones/:zoneId/resources': [(f) => ({ headers: admin(f), params: adminZone(f), body: { identifier: 'mcp://fuzz.test/tools', scopes: ['tools:call'] } })],
  'GET /admin/zones/:zoneId/resources': [(f) => ({ headers: admin(f), params: adminZone(f), query: page })],
  'POST /admin/zones/:zoneId/keys/rotate': [(f) => ({ headers: admin(f), params: adminZone(f), body: { grace_seconds: 60 } })],
  'POST /admin/zones/:zoneId/operator-token': [(f) => ({ headers: admin(f), params: adminZone(f), body: { ttl_seconds: 60 } })],
  'POST /zones/:zoneId/agents': [(f) => ({ headers: user(f), params: zone(f), body: spawnBody(f) })],
  'GET /zones/:zoneId/agents': [(f) => ({ headers: user(f), params: zone(f), query: { ...page, status: 'active', application_id: f.orchestrator.id } })],
  'GET /zones/:zoneId/agents/:id': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.session } })],
  'DELETE /zones/:zoneId/agents/:id': [
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.session() } }),
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.session() }, query: { dry_run: 'true' } }),
  ],
  'GET /zones/:zoneId/agents/:id/children': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.session }, query: { ...page, status: 'active' } })],
  'POST /zones/:zoneId/agents/:id/suspend': [
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.session() } }),
    (f) => ({ headers: user(f), params: { ...zone(f), id: f.session }, query: { dry_run: 'true' } }),
  ],
  'POST /zones/:zoneId/agents/:id/resume': [
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.suspendedSession() } }),
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.suspendedSession() }, query: { dry_run: 'true' } }),
  ],
  'POST /zones/:zoneId/delegations': [(f) => ({ headers: user(f), params: zone(f), body: delegationBody(f) })],
  'GET /zones/:zoneId/delegations': [(f) => ({ headers: user(f), params: zone(f), query: { ...page, status: 'active', source_session_id: f.session } })],
  'GET /zones/:zoneId/delegations/:id': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.edge } })],
  'GET /zones/:zoneId/delegations/:id/traverse': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.edge } })],
  'POST /zones/:zoneId/delegations/:id/revoke': [
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.edge() } }),
    (f) => ({ headers: user(f), params: { ...zone(f), id: f.edge }, query: { dry_run: 'true' } }),
  ],
  'POST /zones/:zoneId/invocations': [
    (f) => ({
      headers: user(f),
      params: zone(f),
      body: { agent_session_id: f.session, operation: 'op', service_id: f.service, input: { query: 'q' }, metadata: { note: 'm' }, timeout_seconds: 30 },
    }),
  ],
  'GET /zones/:zoneId/invocations': [(f) => ({ headers: user(f), params: zone(f), query: { ...page, status: 'pending', agent_session_id: f.session } })],
  'GET /zones/:zoneId/invocations/:id': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.invocation } })],
  'POST /zones/:zoneId/invocations/:id/start': [async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.invocation() } })],
  'POST /zones/:zoneId/invocations/:id/complete': [
    async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.startedInvocation() }, body: { status: 'succeeded', output: { answer: 'a' } } }),
  ],
  'POST /zones/:zoneId/invocations/:id/cancel': [async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.invocation() }, body: { reason: 'no longer needed' } })],
  'POST /zones/:zoneId/services': [
    (f) => ({
      headers: user(f),
      params: zone(f),
      body: { name: 'fuzz-service', agent_session_id: f.session, endpoint: 'https://svc.test/a', capabilities: ['search'], metadata: { note: 'm' }, lease_seconds: 30 },
    }),
  ],
  'GET /zones/:zoneId/services': [(f) => ({ headers: user(f), params: zone(f), query: { ...page, status: 'healthy', name: 'fuzz-service' } })],
  'GET /zones/:zoneId/services/:id': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.service } })],
  'DELETE /zones/:zoneId/services/:id': [async (f) => ({ headers: user(f), params: { ...zone(f), id: await f.fresh.service() } })],
  'POST /zones/:zoneId/services/:id/heartbeat': [(f) => ({ headers: user(f), params: { ...zone(f), id: f.service }, body: { lease_seconds: 30 } })],
  'GET /sessions': [(f) => ({ headers: user(f), query: { ...page, status: 'pending' } })],
  'POST /sessions': [(f) => ({ headers: user(f), body: { project_dir: '/work/fuzz', agent_name: 'fuzzer', parent_session_id: f.session, execution_mode: 'sync' } })],
  'GET /sessions/:id': [(f) => ({ headers: user(f), params: { id: f.session } })],
  'GET /sessions/:id/status': [(f) => ({ headers: user(f), params: { id: f.session } })],
  'GET /sessions/:id/result': [async (f) => ({ headers: user(f), params: { id: await f.fresh.finishedSession() } })],
  'GET /sessions/:id/events': [
    (f) => ({
      headers: user(f),
      params: { id: f.session },
      query: { ...page, event_type: 'pre_tool,result', source: 'agent,sts', since: '2020-01-01T00:00:00Z', until: '2090-01-01T00:00:00Z' },
    }),
  ],
  'POST /sessions/:id/events': [(f) => ({ headers: user(f), params: { id: f.session }, body: eventBody() })],
  'PATCH /sessions/:id/metadata': [
    (f) => ({
      headers: user(f),
      params: { id: f.session },
      body: { project_dir: '/p', agent_name: 'a', last_resumed_at: '2030-01-01T00:00:00Z', executor_session_id: 'e', executor_profile: 'default', hostname: 'h' },
    }),
  ],
  'DELETE /sessions/:id': [async (f) => ({ headers: user(f), params: { id: await f.fresh.seedSession() } })],
  'POST /events': [(f) => ({ headers: user(f), body: { session_id: f.session, ...eventBody() } })],
  'GET /events/:session_id': [(f) => ({ headers: user(f), params: { session_id: f.session }, query: { ...page, event_type: 'message' } })],
  'POST /runs': [
    (f) => ({
      headers: user(f),
      body: { type: 'start_session', agent_name: 'fuzz-agent', parameters: { prompt: 'p', note: 'n' }, project_dir: '/p', execution_mode: 'async_poll' },
    }),
  ],
  'GET /runs': [(f) => ({ headers: user(f), query: { ...page, status: 'pending', agent_name: 'fuzz-agent', session_id: f.session, runner_id: f.runner } })],
  'GET /runs/:id': [(f) => ({ headers: user(f), params: { id: f.run } })],
  'POST /runs/:id/stop': [async (f) => ({ headers: user(f), params: { id: (await f.fresh.run()).run } })],
  'POST /sessions/:id/stop': [async (f) => ({ headers: user(f), params: { id: (await f.fresh.run()).session } })],
  'POST /runner/register': [
    (f) => ({
      headers: user(f),
      body: { hostname: `fuzz-host-${(sids += 1)}`, project_dir: '/p', executor_profile: 'default', executor: { type: 'claude-code', command: 'c' }, tags: ['t'], blueprints: ['b'] },
    }),
  ],
  'GET /runner/runs': [(f) => ({ headers: user(f), query: { runner_id: f.runner, wait_seconds: '0' } })],
  'POST /runner/runs/:id/started': [
    async (f) => {
      const { run, runner } = await f.fresh.claimedRun();
      return { headers: user(f), params: { id: run }, body: { runner_id: runner } };
    },
  ],
  'POST /runner/runs/:id/completed': [
    async (f) => {
      const { run, runner } = await f.fresh.claimedRun('running');
      return { headers: user(f), params: { id: run }, body: { runner_id: runner, status: 'completed', session_status: 'idle', result: { text: 'r' } } };
    },
  ],
  'POST /runner/runs/:id/failed': [
    async (f) => {
      const { run, runner } = await f.fresh.claimedRun('running');
      return { headers: user(f), params: { id: run }, body: { runner_id: runner, error: 'e' } };
    },
  ],
  'POST /runner/runs/:id/stopped': [
    async (f) => {
      const { run, runner } = await f.fresh.claimedRun('stopping');
      return { headers: user(f), params: { id: run }, body: { runner_id: runner } };
    },
  ],
  'POST /runner/heartbeat': [(f) => ({ headers: user(f), body: { runner_id: f.runner } })],
  'GET /runners': [(f) => ({ headers: user(f) })],
  'DELETE /runners/:id': [async (f) => ({ headers: user(f), params: { id: await f.fresh.runner() } })],
  'GET /agents': [(f) => ({ headers: user(f), query: { tags: 'fuzz' } })],
  'GET /agents/:name': [(f) => ({ headers: user(f), params: { name: f.blueprint } })],
  'POST /agents': [(f) => ({ headers: operator(f), body: { name: `fuzz-blueprint-${(sids += 1)}`, ...blueprintFields() } })],
  'PATCH /agents/:name': [(f) => ({ headers: operator(f), params: { name: f.blueprint }, body: blueprintFields() })],
  'PATCH /agents/:name/status': [(f) => ({ headers: operator(f), params: { name: f.blueprint }, body: { status: 'active' } })],
  'DELETE /agents/:name': [async (f) => ({ headers: operator(f), params: { name: await f.fresh.blueprint() } })],
  'GET /zones/:zoneId/events': [(f) => ({ headers: user(f), params: zone(f), query: { topics: 'caracal.agents.lifecycle' } })],
  // Without an upgrade this is a plain GET; the checks before the upgrade still run.
  'GET /ws': [
    (f) => ({ query: { zone_id: f.zoneId, access_token: f.token, topics: 'caracal.agents.lifecycle' } }),
    // Without zone_id: the Agent Coordinator session feed of the bearer's zone.
    (f) => ({ query: { access_token: f.token } }),
    (f) => ({ query: { access_token: f.token, session_id: f.session } }),
  ],
  'GET /sse/sessions': [
    (f) => ({ headers: user(f), query: {} }),
    (f) => ({ headers: user(f), query: { session_id: f.session } }),
    (f) => ({ query: { access_token: f.token, session_id: f.session, last_event_id: 'caracal.sessions.timeline@0-0' } }),
  ],
};

/** Creates the zone, records and tokens the base requests aim at. */
export async function buildFuzzFixtures(sts: StsTestApp): Promise<FuzzFixtures> {
  const { app } = sts;
  const zone = await bootstrapZone(sts, { resources: { [TOOLS_RESOURCE]: ['tools:call', 'tools:read'], [FILES_RESOURCE]: ['files:read'] } });
  const orchestrator = zone.applications.orchestrator!;
  const token = await injectSessionToken(app, orchestrator);
  const call = async (url: string, body: Record<string, unknown> | unknown[] = {}, authorization = `Bearer ${token}`): Promise<Record<string, unknown>> => {
    const response = await app.inject({ method: 'POST', url, headers: { authorization }, payload: body });
    if (response.statusCode >= 300) throw new Error(`fixture ${url} answered ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const at = `/zones/${zone.zoneId}`;
  const spawn = async () => (await call(`${at}/agents`, {})).agent_session_id as string;
  const session = await spawn();
  const peer = await spawn();
  const service = (await call(`${at}/services`, { name: 'fuzz-service', lease_seconds: 3600 })).id as string;
  const invocation = async () => (await call(`${at}/invocations`, { agent_session_id: session, operation: 'op' })).id as string;
  // Revoking an edge ends its target session, so each fresh edge gets a fresh target.
  const edgeTo = async (target: string) =>
    (await call(`${at}/delegations`, { source_session_id: session, target_session_id: target, scopes: ['tools:call'], ttl_seconds: 600 })).id as string;
  const newRun = async (agentName?: string) => {
    const created = await call('/runs', { type: 'start_session', parameters: { prompt: 'p' }, ...(agentName === undefined ? {} : { agent_name: agentName }) });
    return { run: created.run_id as string, session: created.session_id as string };
  };
  const newRunner = async (blueprint: string) =>
    (await call('/runner/register', { hostname: `fuzz-${blueprint}`, project_dir: '/p', executor_profile: 'default', executor: { type: 't' }, blueprints: [blueprint] }))
      .runner_id as string;
  // Each claimed run names a blueprint of its own that only its runner serves, so the poll claims exactly it.
  const claimedRun = async (state: 'claimed' | 'running' | 'stopping' = 'claimed') => {
    const blueprint = `fuzz-bp-${(sids += 1)}`;
    const { run } = await newRun(blueprint);
    const runner = await newRunner(blueprint);
    const polled = await app.inject({ method: 'GET', url: `/runner/runs?runner_id=${runner}&wait_seconds=0`, headers: { authorization: `Bearer ${token}` } });
    if (polled.json().run?.run_id !== run) throw new Error(`fixture poll answered ${polled.statusCode} ${polled.body}`);
    if (state !== 'claimed') await call(`/runner/runs/${run}/started`, { runner_id: runner });
    if (state === 'stopping') await call(`/runs/${run}/stop`);
    return { run, runner };
  };
  const adminZoneId = (await call('/admin/zones', { name: 'fuzz admin zone' }, `Bearer ${sts.adminToken}`)).id as string;
  const operatorToken = (await call(`/admin/zones/${zone.zoneId}/operator-token`, {}, `Bearer ${sts.adminToken}`)).access_token as string;
  const blueprint = async () => {
    const name = `fuzz-blueprint-${(sids += 1)}`;
    await call('/agents', { name, tags: ['fuzz'] }, `Bearer ${operatorToken}`);
    return name;
  };
  return {
    zoneId: zone.zoneId,
    adminZoneId,
    orchestrator,
    token,
    adminToken: sts.adminToken,
    operatorToken,
    blueprint: await blueprint(),
    session,
    peer,
    edge: await edgeTo(peer),
    invocation: await invocation(),
    service,
    run: (await newRun()).run,
    runner: await newRunner('fuzz-never-named'),
    fresh: {
      session: spawn,
      suspendedSession: async () => {
        const id = await spawn();
        await call(`${at}/agents/${id}/suspend`);
        return id;
      },
      edge: async () => edgeTo(await spawn()),
      invocation,
      startedInvocation: async () => {
        const id = await invocation();
        await call(`${at}/invocations/${id}/start`);
        return id;
      },
      service: async () => (await call(`${at}/services`, { name: `fuzz-service-${(sids += 1)}`, lease_seconds: 3600 })).id as string,
      finishedSession: async () => {
        const id = ((await call('/sessions')).session as { session_id: string }).session_id;
        await call(`/sessions/${id}/events`, [{ event_type: 'result', result_text: 'r' }, { event_type: 'run_completed' }]);
        return id;
      },
      seedSession: async () => ((await call('/sessions')).session as { session_id: string }).session_id,
      run: () => newRun(),
      claimedRun,
      runner: () => newRunner(`fuzz-runner-${(sids += 1)}`),
      blueprint,
    },
  };
}
