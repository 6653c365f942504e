import type { Fixtures } from './malformed-requests.ts';

/**
 * Every Coordinator route as the fuzz test sees it: how to reach it, a request it would accept
 * (which the generator then breaks), its fields by kind, and values no field of a kind accepts.
 */
export type FieldKind =
  | 'sessionId'
  | 'edgeId'
  | 'serviceId'
  | 'name'
  | 'scopes'
  | 'capabilities'
  | 'seconds'
  | 'object'
  | 'labels'
  | 'text'
  | 'longText'
  | 'reason'
  | 'timestamp';
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  path: (fixtures: Fixtures, id: string) => string;
  /** The id kind in the path, and the real one to aim at. */
  id?: { prefix: string; real: (fixtures: Fixtures) => string };
  /** A body the route accepts (creates) — mutated so it no longer is. Absent: an action without fields. */
  body?: (fixtures: Fixtures) => Record<string, unknown>;
  fields?: Record<string, FieldKind>;
  list?: boolean;
  create?: boolean;
  /** The route takes `?dry_run=true|false` (answer the impact, change nothing). */
  dryRun?: boolean;
  /** The route acts on a fixture of app_fuzz, so a stranger's mandate is refused. */
  owned: boolean;
  /**
   * A `/v1` route: null stands for an absent value in every optional field
   * (docs/decisions/2026-12-04-seed-literal-bodies.md); these are its required fields, where null
   * stays malformed.
   */
  nullMeansAbsentExcept?: readonly string[];
  /** Sent with the operator mandate (blueprint writes need `caracal:admin`), so the body checks are reached. */
  operator?: boolean;
  /** Bodies that pass the schema but that the rules refuse (404/403/409/400). */
  refusedBodies?: (fixtures: Fixtures) => Array<Record<string, unknown>>;
  /**
   * The route acts in the mandate's zone (the Agent Coordinator routes name none), so another zone's
   * mandate is a valid caller there, not a malformed request.
   */
  zoneFromToken?: boolean;
}

const UNKNOWN_AGENT = 'agentsess_0000000000aaaaaaaaaaaaaaaa';
const zone = (fixtures: Fixtures) => `/zones/${fixtures.zoneId}`;
const session = { prefix: 'agentsess', real: (fixtures: Fixtures) => fixtures.session };
const edge = { prefix: 'deledge', real: (fixtures: Fixtures) => fixtures.edge };
const invocation = { prefix: 'inv', real: (fixtures: Fixtures) => fixtures.invocation };
const service = { prefix: 'svc', real: (fixtures: Fixtures) => fixtures.service };
const run = { prefix: 'run', real: (fixtures: Fixtures) => fixtures.run };
const runner = { prefix: 'runner', real: (fixtures: Fixtures) => fixtures.runner };
const UNKNOWN_RUNNER = 'runner_0000000000aaaaaaaaaaaaaaaa';
const blueprint = { prefix: 'blueprint', real: (fixtures: Fixtures) => fixtures.blueprint };
/** Blueprint fields, each of a kind none of whose invalid values (but null, which leaves a field) a blueprint accepts. */
const blueprintFields: Record<string, FieldKind> = {
  description: 'longText',
  system_prompt: 'longText',
  mcp_servers: 'labels',
  skills: 'scopes',
  tags: 'scopes',
  authority: 'object',
};
const UNKNOWN_RESOURCE_AUTHORITY = { resources: [{ resource_id: 'mcp://unregistered.test', scopes: ['tools:call'] }] };

const spawnFields: Record<string, FieldKind> = {
  application_id: 'name',
  parent_id: 'sessionId',
  ttl_seconds: 'seconds',
  labels: 'labels',
  metadata: 'object',
  capabilities: 'capabilities',
  session_sid: 'text',
};
const delegationFields: Record<string, FieldKind> = {
  source_session_id: 'sessionId',
  target_session_id: 'sessionId',
  issuer_application_id: 'name',
  scopes: 'scopes',
  ttl_seconds: 'seconds',
  expires_at: 'timestamp',
  parent_edge_id: 'edgeId',
  constraints: 'object',
};

const seedEvent = () => ({ event_type: 'message', role: 'user', content: [{ type: 'text', text: 'hi' }] });
const eventFieldKinds: Record<string, FieldKind> = { event_type: 'text', timestamp: 'timestamp', run_id: 'name' };

/** The Agent Coordinator session and timeline routes (docs/sessions.md): the zone is the mandate's. */
const SEED_ROUTES: Route[] = [
  { method: 'GET', path: () => '/sessions', list: true, owned: false, zoneFromToken: true },
  {
    method: 'POST',
    path: () => '/sessions',
    body: () => ({ agent_name: 'fuzz', project_dir: '/work' }),
    fields: { parent_session_id: 'sessionId', execution_mode: 'name' },
    create: true,
    owned: false,
    zoneFromToken: true,
    refusedBodies: (f) => [{ parent_session_id: UNKNOWN_AGENT }, { parent_session_id: f.edge }],
  },
  { method: 'GET', path: (_fixtures, id) => `/sessions/${id}`, id: session, owned: true },
  { method: 'GET', path: (_fixtures, id) => `/sessions/${id}/result`, id: session, owned: true },
  { method: 'GET', path: (_fixtures, id) => `/sessions/${id}/events`, id: session, list: true, owned: true },
  {
    method: 'POST',
    path: (_fixtures, id) => `/sessions/${id}/events`,
    id: session,
    body: seedEvent,
    fields: eventFieldKinds,
    nullMeansAbsentExcept: ['event_type'],
    owned: true,
    refusedBodies: () => [{ event_type: 'message', result_text: 'x'.repeat(70 * 1024) }],
  },
  {
    method: 'PATCH',
    path: (_fixtures, id) => `/sessions/${id}/metadata`,
    id: session,
    body: () => ({ hostname: 'h' }),
    fields: { last_resumed_at: 'timestamp' },
    nullMeansAbsentExcept: [],
    owned: true,
  },
  { method: 'DELETE', path: (_fixtures, id) => `/sessions/${id}`, id: session, owned: true },
  {
    method: 'POST',
    path: () => '/events',
    body: (f) => ({ session_id: f.session, ...seedEvent() }),
    fields: { session_id: 'sessionId', ...eventFieldKinds },
    nullMeansAbsentExcept: ['event_type', 'session_id'],
    owned: true,
    refusedBodies: () => [{ session_id: UNKNOWN_AGENT, event_type: 'message' }],
  },
  { method: 'GET', path: (_fixtures, id) => `/events/${id}`, id: session, list: true, owned: true },
];

export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: (f) => `${zone(f)}/agents`,
    body: () => ({ kind: 'instance', labels: { a: 'b' } }),
    fields: spawnFields,
    create: true,
    owned: false,
    refusedBodies: () => [
      { parent_id: UNKNOWN_AGENT },
      { grant: { mode: 'narrow', scopes: ['files:write'] } },
      { grant: { mode: 'narrow' } },
      { application_id: 'app_someone_else' },
    ],
  },
  { method: 'GET', path: (f) => `${zone(f)}/agents`, list: true, owned: false },
  { method: 'GET', path: (f, id) => `${zone(f)}/agents/${id}`, id: session, owned: true },
  { method: 'GET', path: (f, id) => `${zone(f)}/agents/${id}/children`, id: session, list: true, owned: true },
  { method: 'POST', path: (f, id) => `${zone(f)}/agents/${id}/suspend`, id: session, owned: true, dryRun: true },
  { method: 'POST', path: (f, id) => `${zone(f)}/agents/${id}/resume`, id: session, owned: true, dryRun: true },
  { method: 'DELETE', path: (f, id) => `${zone(f)}/agents/${id}`, id: session, owned: true, dryRun: true },
  {
    method: 'POST',
    path: (f) => `${zone(f)}/delegations`,
    body: (f) => ({ source_session_id: f.session, target_session_id: f.peer, scopes: ['tools:call'], ttl_seconds: 60 }),
    fields: delegationFields,
    create: true,
    owned: true,
    refusedBodies: (f) => [
      { source_session_id: f.session, target_session_id: UNKNOWN_AGENT, scopes: ['tools:call'] },
      { source_session_id: f.session, target_session_id: f.peer, scopes: ['files:write'] },
      { source_session_id: f.session, target_session_id: f.session, scopes: ['tools:call'] },
      { source_session_id: f.peer, target_session_id: f.session, scopes: ['tools:call'] },
      { source_session_id: f.session, target_session_id: f.peer, scopes: ['tools:call'], expires_at: '2001-01-01T00:00:00Z' },
      { source_session_id: f.session, target_session_id: f.peer, scopes: ['tools:call'], ttl_seconds: 5, expires_at: '2040-01-01T00:00:00Z' },
      { source_session_id: f.session, target_session_id: f.peer, scopes: ['tools:call'], parent_edge_id: f.edge },
    ],
  },
  { method: 'GET', path: (f) => `${zone(f)}/delegations`, list: true, owned: false },
  { method: 'GET', path: (f, id) => `${zone(f)}/delegations/${id}`, id: edge, owned: true },
  { method: 'GET', path: (f, id) => `${zone(f)}/delegations/${id}/traverse`, id: edge, owned: true },
  { method: 'POST', path: (f, id) => `${zone(f)}/delegations/${id}/revoke`, id: edge, owned: true, dryRun: true },
  {
    method: 'POST',
    path: (f) => `${zone(f)}/invocations`,
    body: (f) => ({ agent_session_id: f.session, operation: 'op', input: { a: 1 }, timeout_seconds: 30 }),
    fields: { agent_session_id: 'sessionId', operation: 'text', service_id: 'serviceId', input: 'object', deadline_at: 'timestamp' },
    create: true,
    owned: true,
    refusedBodies: (f) => [
      { agent_session_id: UNKNOWN_AGENT, operation: 'op' },
      { agent_session_id: f.session, operation: 'op', service_id: 'svc_0000000000aaaaaaaaaaaaaaaa' },
      { agent_session_id: f.session, operation: 'op', deadline_at: '1999-01-01T00:00:00Z' },
    ],
  },
  { method: 'GET', path: (f) => `${zone(f)}/invocations`, list: true, owned: false },
  { method: 'GET', path: (f, id) => `${zone(f)}/invocations/${id}`, id: invocation, owned: true },
  { method: 'POST', path: (f, id) => `${zone(f)}/invocations/${id}/start`, id: invocation, owned: true },
  {
    method: 'POST',
    path: (f, id) => `${zone(f)}/invocations/${id}/complete`,
    id: invocation,
    fields: { status: 'text' },
    owned: true,
  },
  { method: 'POST', path: (f, id) => `${zone(f)}/invocations/${id}/cancel`, id: invocation, fields: { reason: 'reason' }, owned: true },
  {
    method: 'POST',
    path: (f) => `${zone(f)}/services`,
    body: () => ({ name: 'fuzzed', lease_seconds: 30 }),
    fields: { name: 'text', agent_session_id: 'sessionId', lease_seconds: 'seconds', metadata: 'object', endpoint: 'text' },
    create: true,
    owned: false,
    refusedBodies: () => [{ name: 'fuzzed', agent_session_id: UNKNOWN_AGENT }],
  },
  { method: 'GET', path: (f) => `${zone(f)}/services`, list: true, owned: false },
  { method: 'GET', path: (f, id) => `${zone(f)}/services/${id}`, id: service, owned: true },
  { method: 'POST', path: (f, id) => `${zone(f)}/services/${id}/heartbeat`, id: service, fields: { lease_seconds: 'seconds' }, owned: true },
  { method: 'DELETE', path: (f, id) => `${zone(f)}/services/${id}`, id: service, owned: true },
  { method: 'GET', path: () => '/agents', list: true, owned: false, zoneFromToken: true },
  { method: 'GET', path: (_f, id) => `/agents/${id}`, id: blueprint, owned: false, zoneFromToken: true },
  {
    method: 'POST',
    path: () => '/agents',
    body: () => ({ name: 'fuzz-new-blueprint', description: 'd', tags: ['fuzz'] }),
    fields: { name: 'name', ...blueprintFields },
    nullMeansAbsentExcept: ['name'],
    owned: false,
    zoneFromToken: true,
    operator: true,
    refusedBodies: (f) => [{ name: f.blueprint }, { name: 'fuzz-new-blueprint', authority: UNKNOWN_RESOURCE_AUTHORITY }],
  },
  {
    method: 'PATCH',
    path: (_f, id) => `/agents/${id}`,
    id: blueprint,
    body: () => ({ description: 'changed' }),
    fields: blueprintFields,
    nullMeansAbsentExcept: [],
    owned: false,
    zoneFromToken: true,
    operator: true,
    refusedBodies: () => [{ authority: UNKNOWN_RESOURCE_AUTHORITY }],
  },
  {
    method: 'PATCH',
    path: (_f, id) => `/agents/${id}/status`,
    id: blueprint,
    body: () => ({ status: 'inactive' }),
    fields: { status: 'text' },
    owned: false,
    zoneFromToken: true,
    operator: true,
  },
  { method: 'DELETE', path: (_f, id) => `/agents/${id}`, id: blueprint, owned: false, zoneFromToken: true, operator: true },
  {
    method: 'POST',
    path: () => '/runs',
    body: () => ({ type: 'start_session', agent_name: 'fuzzer', parameters: { prompt: 'p' } }),
    fields: { type: 'text', parameters: 'object', agent_name: 'name', session_id: 'sessionId', parent_session_id: 'sessionId' },
    // agent_name and parent_session_id may be null; type and parameters may not.
    nullMeansAbsentExcept: ['type', 'parameters'],
    owned: false,
    zoneFromToken: true,
    refusedBodies: () => [
      { type: 'start_session', parameters: {} },
      { type: 'start_session', parameters: { prompt: 'p' }, parent_session_id: UNKNOWN_AGENT },
      { type: 'resume_session', parameters: { prompt: 'p' } },
      { type: 'resume_session', parameters: { prompt: 'p' }, session_id: UNKNOWN_AGENT },
    ],
  },
  { method: 'GET', path: () => '/runs', list: true, owned: false, zoneFromToken: true },
  { method: 'GET', path: (_f, id) => `/runs/${id}`, id: run, owned: true, zoneFromToken: true },
  { method: 'POST', path: (_f, id) => `/runs/${id}/stop`, id: run, owned: true, zoneFromToken: true },
  { method: 'POST', path: (_f, id) => `/sessions/${id}/stop`, id: session, owned: true, zoneFromToken: true },
  {
    method: 'POST',
    path: () => '/runner/register',
    body: () => ({ hostname: 'h', project_dir: '/p', executor_profile: 'default', executor: { type: 't' } }),
    fields: { hostname: 'text', project_dir: 'text', executor_profile: 'text', executor: 'object' },
    owned: false,
    zoneFromToken: true,
  },
  { method: 'GET', path: (f) => `/runner/runs?runner_id=${f.runner}&wait_seconds=0`, owned: true, zoneFromToken: true },
  ...(['started', 'completed', 'failed', 'stopped'] as const).map(
    (action): Route => ({
      method: 'POST',
      path: (_f, id) => `/runner/runs/${id}/${action}`,
      id: run,
      body: (f) => ({ runner_id: f.runner, ...(action === 'failed' ? { error: 'e' } : {}) }),
      fields: { runner_id: 'text' },
      owned: true,
      zoneFromToken: true,
      refusedBodies: (f) => [{ runner_id: UNKNOWN_RUNNER }, { runner_id: f.runner, ...(action === 'failed' ? { error: 'e' } : {}) }],
    }),
  ),
  {
    method: 'POST',
    path: () => '/runner/heartbeat',
    body: (f) => ({ runner_id: f.runner }),
    fields: { runner_id: 'text' },
    owned: true,
    zoneFromToken: true,
    refusedBodies: () => [{ runner_id: UNKNOWN_RUNNER }],
  },
  { method: 'GET', path: () => '/runners', owned: false, zoneFromToken: true },
  { method: 'DELETE', path: (_f, id) => `/runners/${id}`, id: runner, owned: true, zoneFromToken: true },
  {
    method: 'POST',
    path: () => '/v1/begin',
    body: (f) => ({ zone_id: f.zoneId, kind: 'ephemeral' }),
    fields: { zone_id: 'name', ...spawnFields },
    nullMeansAbsentExcept: [],
    create: true,
    owned: false,
    refusedBodies: (f) => [{ zone_id: 'zone_elsewhere' }, { zone_id: f.zoneId, parent_id: UNKNOWN_AGENT }],
  },
  {
    method: 'POST',
    path: () => '/v1/end',
    body: (f) => ({ zone_id: f.zoneId, agent_session_id: f.session }),
    fields: { zone_id: 'name', agent_session_id: 'sessionId' },
    nullMeansAbsentExcept: ['agent_session_id'],
    owned: true,
    refusedBodies: (f) => [{ zone_id: f.zoneId, agent_session_id: UNKNOWN_AGENT }],
  },
  {
    method: 'POST',
    path: () => '/v1/exchange',
    body: (f) => ({ zone_id: f.zoneId, source_session_id: f.session, target_session_id: f.peer, scopes: ['tools:call'], ttl_seconds: 60 }),
    fields: { zone_id: 'name', ...delegationFields },
    nullMeansAbsentExcept: ['source_session_id', 'target_session_id', 'scopes'],
    create: true,
    owned: true,
    refusedBodies: (f) => [{ zone_id: f.zoneId, source_session_id: f.peer, target_session_id: f.session, scopes: ['tools:call'] }],
  },
  ...SEED_ROUTES,
];


/** Values no schema field of `kind` accepts. */
export const INVALID: Record<FieldKind, unknown[]> = {
  sessionId: [1, true, null, [], {}, '', 'agentsess_', 'deledge_0000000000aaaaaaaaaaaaaaaa', 'AGENTSESS_0000000000AAAAAAAAAAAAAAAA', 'agentsess_0000000000aaaaaaaaaaaaaaaaa'],
  edgeId: [2, false, null, [1], { id: 1 }, 'deledge_x', 'agentsess_0000000000aaaaaaaaaaaaaaaa'],
  serviceId: [3, null, 'svc_', 'svc_0000000000aaaaaaaaaaaaaaa!', ['svc']],
  name: [4, null, '', ' spaced', 'a'.repeat(200), '../etc', { name: 'x' }],
  scopes: ['tools:call', 5, null, {}, [1], [''], ['has space'], ['quote"'], ['dup', 'dup'], Array.from({ length: 65 }, (_, index) => `s${index}`)],
  capabilities: ['search', 11, null, {}, [1], [''], [null], ['x'.repeat(200)], Array.from({ length: 65 }, (_, index) => `c${index}`)],
  reason: [12, null, '', {}, [], 'x'.repeat(600)],
  seconds: ['60', 0, -1, 1.5, 1e12, null, true, [60]],
  object: ['x', 7, true, [], null, Object.fromEntries(Array.from({ length: 70 }, (_, index) => [`k${index}`, index]))],
  labels: ['x', 8, [], null, { a: 1 }, { a: null }, { a: 'x'.repeat(600) }],
  text: [9, null, true, '', [], {}, 'x'.repeat(3000)],
  longText: [13, true, [], {}, 'x'.repeat(300_000)],
  timestamp: [10, null, 'yesterday', '2030-13-01T00:00:00Z', '2030-01-01', '2030-01-01T00:00:60Z', ''],
};

