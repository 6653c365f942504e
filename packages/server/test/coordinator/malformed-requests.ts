import fc from 'fast-check';
import type { InjectOptions } from 'fastify';

/** Rows that exist before the fuzz run, so malformed requests can aim at real ids too. */
export interface Fixtures {
  zoneId: string;
  token: string;
  otherZoneToken: string;
  noScopeToken: string;
  strangerToken: string;
  expiredToken: string;
  session: string;
  peer: string;
  edge: string;
  invocation: string;
  service: string;
}

type FieldKind =
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
  | 'reason'
  | 'timestamp';
type Method = 'GET' | 'POST' | 'DELETE';

interface Route {
  method: Method;
  path: (fixtures: Fixtures, id: string) => string;
  /** The id kind in the path, and the real one to aim at. */
  id?: { prefix: string; real: (fixtures: Fixtures) => string };
  /** A body the route accepts (creates) — mutated so it no longer is. Absent: an action without fields. */
  body?: (fixtures: Fixtures) => Record<string, unknown>;
  fields?: Record<string, FieldKind>;
  list?: boolean;
  create?: boolean;
  /** The route acts on a fixture of app_fuzz, so a stranger's mandate is refused. */
  owned: boolean;
  /** Bodies that pass the schema but that the rules refuse (404/403/409/400). */
  refusedBodies?: (fixtures: Fixtures) => Array<Record<string, unknown>>;
}

const UNKNOWN_AGENT = 'agentsess_0000000000aaaaaaaaaaaaaaaa';
const zone = (fixtures: Fixtures) => `/zones/${fixtures.zoneId}`;
const session = { prefix: 'agentsess', real: (fixtures: Fixtures) => fixtures.session };
const edge = { prefix: 'deledge', real: (fixtures: Fixtures) => fixtures.edge };
const invocation = { prefix: 'inv', real: (fixtures: Fixtures) => fixtures.invocation };
const service = { prefix: 'svc', real: (fixtures: Fixtures) => fixtures.service };

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

const ROUTES: Route[] = [
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
  { method: 'POST', path: (f, id) => `${zone(f)}/agents/${id}/suspend`, id: session, owned: true },
  { method: 'POST', path: (f, id) => `${zone(f)}/agents/${id}/resume`, id: session, owned: true },
  { method: 'DELETE', path: (f, id) => `${zone(f)}/agents/${id}`, id: session, owned: true },
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
  { method: 'POST', path: (f, id) => `${zone(f)}/delegations/${id}/revoke`, id: edge, owned: true },
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
  {
    method: 'POST',
    path: () => '/v1/begin',
    body: (f) => ({ zone_id: f.zoneId, kind: 'ephemeral' }),
    fields: { zone_id: 'name', ...spawnFields },
    create: true,
    owned: false,
    refusedBodies: (f) => [{ zone_id: 'zone_elsewhere' }, { zone_id: f.zoneId, parent_id: UNKNOWN_AGENT }],
  },
  {
    method: 'POST',
    path: () => '/v1/end',
    body: (f) => ({ zone_id: f.zoneId, agent_session_id: f.session }),
    fields: { zone_id: 'name', agent_session_id: 'sessionId' },
    owned: true,
    refusedBodies: (f) => [{ zone_id: f.zoneId, agent_session_id: UNKNOWN_AGENT }],
  },
  {
    method: 'POST',
    path: () => '/v1/exchange',
    body: (f) => ({ zone_id: f.zoneId, source_session_id: f.session, target_session_id: f.peer, scopes: ['tools:call'], ttl_seconds: 60 }),
    fields: { zone_id: 'name', ...delegationFields },
    create: true,
    owned: true,
    refusedBodies: (f) => [{ zone_id: f.zoneId, source_session_id: f.peer, target_session_id: f.session, scopes: ['tools:call'] }],
  },
];

/** Values no schema field of `kind` accepts. */
const INVALID: Record<FieldKind, unknown[]> = {
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
  timestamp: [10, null, 'yesterday', '2030-13-01T00:00:00Z', '2030-01-01', '2030-01-01T00:00:60Z', ''],
};

/** A small deterministic generator, so a failing corpus can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` requests that every Coordinator route must refuse with a 4xx, reproducible from `seed`. */
export function malformedRequests(fixtures: Fixtures, count: number, seed: number): InjectOptions[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const junk = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), { numRuns: 400, seed });
  const junkJson = fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 400, seed: seed + 1 });
  const requests: InjectOptions[] = [];
  while (requests.length < count) {
    const route = pick(ROUTES);
    const id = route.id?.real(fixtures) ?? '';
    const valid = route.body?.(fixtures);
    const base: InjectOptions & { headers: Record<string, string> } = {
      method: route.method,
      url: route.path(fixtures, id),
      headers: { authorization: `Bearer ${fixtures.token}` },
    };
    // GET requests carry no body (one sent is ignored), so body mutations apply to the others.
    const withBody = (payload: string, contentType = 'application/json'): InjectOptions | undefined =>
      route.method === 'GET' ? undefined : { ...base, headers: { ...base.headers, 'content-type': contentType }, payload };
    const strategies: Array<() => InjectOptions | undefined> = [
      // A missing, broken, expired or foreign bearer, with an otherwise valid request.
      () => {
        const authorization = pick([
          undefined,
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          `Bearer ${pick(junk).replace(/[^\x21-\x7e]/g, 'x')}`,
          `Bearer ${fixtures.token.slice(0, -4)}AAAA`,
          `Bearer ${fixtures.expiredToken}`,
          `Bearer ${fixtures.otherZoneToken}`,
          `Bearer ${fixtures.noScopeToken}`,
          ...(route.owned ? [`Bearer ${fixtures.strangerToken}`] : []),
        ]);
        const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
        return valid === undefined
          ? { ...base, headers }
          : { ...base, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(valid) };
      },
      // An id of the wrong shape, or of the right shape that does not exist.
      () => {
        if (route.id === undefined) return undefined;
        const bad = pick([
          encodeURIComponent(pick(junk)),
          '%E0%A4%A',
          `${route.id.prefix}_0000000000aaaaaaaaaaaaaaaa`,
          `${route.id.prefix}_${'z'.repeat(27)}`,
          id.toUpperCase(),
          `${id}x`,
          'x'.repeat(250),
          route.id.prefix === 'agentsess' ? fixtures.edge : fixtures.session,
        ]);
        if (bad === id) return undefined;
        return { ...base, url: route.path(fixtures, bad) };
      },
      // Broken or wrong-shaped JSON, a wrong content type, an oversized body.
      () =>
        pick<InjectOptions | undefined>([
          withBody('{'),
          withBody('{"a":'),
          withBody('[1,2'),
          withBody('nul'),
          withBody('{"a":1}}'),
          withBody(pick(junk)),
          withBody('[]'),
          withBody('1'),
          withBody('"text"'),
          withBody('null'),
          withBody(JSON.stringify(valid ?? {}), 'text/plain'),
          withBody(JSON.stringify({ ...valid, padding: 'x'.repeat(70 * 1024) })),
        ]),
      // Unknown fields.
      () => withBody(JSON.stringify({ ...valid, [pick(['extra', 'nope', '__proto__x', 'constraints2', 'zone'])]: pick(junkJson) })),
      // A known field with a value of the wrong type or out of range.
      () => {
        const fields = Object.entries(route.fields ?? {});
        if (fields.length === 0) return undefined;
        const [field, kind] = pick(fields);
        return withBody(JSON.stringify({ ...valid, [field]: pick(INVALID[kind]) }));
      },
      // Text Postgres cannot store, and nesting deeper than is stored.
      () => {
        if (valid === undefined || route.fields === undefined || !Object.values(route.fields).includes('object')) return undefined;
        const field = Object.entries(route.fields).find(([, kind]) => kind === 'object')![0];
        let deep: unknown = 'leaf';
        for (let depth = 0; depth < 40; depth += 1) deep = { d: deep };
        let deepList: unknown = [1];
        for (let depth = 0; depth < 20; depth += 1) deepList = [deepList];
        const value = pick([{ text: 'a\u0000b' }, { ['k\u0000']: 1 }, deep, { list: deepList }]);
        const payload = JSON.stringify({ ...valid, [field]: value }).replace('"leaf"', '"\\ud800"');
        return withBody(payload);
      },
      // A list query out of range or unknown.
      () => {
        if (!route.list) return undefined;
        const query = pick([
          'limit=0',
          'limit=501',
          'limit=-1',
          'limit=abc',
          'limit=1.5',
          'limit=',
          'limit=1&limit=2',
          'cursor=%00',
          `cursor=${Buffer.from('not-an-id').toString('base64url')}`,
          'cursor=!!',
          'status=bogus',
          'unknown=1',
          `parent_id=${encodeURIComponent(pick(junk))}x`,
          `application_id=${encodeURIComponent(' x')}`,
        ]);
        return { ...base, url: `${base.url}?${query}` };
      },
      // A bad Idempotency-Key on a valid create.
      () => {
        if (!route.create || valid === undefined) return undefined;
        const key = pick(['has space', 'caf\u00e9', 'x'.repeat(300), '\t']);
        return { ...base, headers: { ...base.headers, 'content-type': 'application/json', 'idempotency-key': key }, payload: JSON.stringify(valid) };
      },
      // Well-formed bodies the rules refuse; and any body on an action without fields.
      () => {
        if (route.refusedBodies !== undefined) return withBody(JSON.stringify(pick(route.refusedBodies(fixtures))));
        if (valid === undefined && route.method !== 'GET') return withBody(JSON.stringify({ [pick(['force', 'x', 'cascade'])]: pick(junkJson) }));
        return undefined;
      },
    ];
    const request = pick(strategies)();
    if (request !== undefined) requests.push(request);
  }
  return requests;
}
